package genesys

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"time"
)

// Open Messaging (genesys-api.md §8): a middleware such as flowctl serve
// posts the customer's messages to an integration's inbound endpoint and
// receives the agent's messages on the integration's webhook, signed with
// X-Hub-Signature-256 (webhook.go). The webhook carries no agent presence:
// who joined, transferred or ended the conversation comes from the
// Notification API or from polling the conversation.

// OpenMessageFrom is a party of an Open Messaging message
// (OpenMessagingFromRecipient, OpenMessagingToRecipient). IDType is Email,
// Phone or Opaque.
type OpenMessageFrom struct {
	ID        string `json:"id"`
	IDType    string `json:"idType"`
	FirstName string `json:"firstName,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	Nickname  string `json:"nickname,omitempty"`
}

// OpenChannelMetadata carries the custom attributes that become participant
// data in Genesys. The SDK's ConversationChannelMetadata lacks
// customAttributes; Genesys reads them here, not at the top level.
type OpenChannelMetadata struct {
	CustomAttributes map[string]string `json:"customAttributes,omitempty"`
}

// OpenInboundChannel is the channel of an inbound message.
type OpenInboundChannel struct {
	MessageID string               `json:"messageId"`
	Time      string               `json:"time"`
	From      OpenMessageFrom      `json:"from"`
	Metadata  *OpenChannelMetadata `json:"metadata,omitempty"`
}

// OpenInboundMessage is OpenInboundNormalizedMessage: a customer message.
type OpenInboundMessage struct {
	Channel OpenInboundChannel `json:"channel"`
	Text    string             `json:"text"`
}

// OpenMessageResult is the OpenMessageNormalizedMessage Genesys answers an
// inbound message with; ConversationID is set when it was prefetched. It
// may name a new conversation: after the agent's side disconnected, the
// customer's next message starts one.
type OpenMessageResult struct {
	ID             string `json:"id"`
	Type           string `json:"type"`
	Text           string `json:"text,omitempty"`
	ConversationID string `json:"conversationId,omitempty"`
}

// SignatureHeader carries the webhook body's HMAC-SHA256.
const SignatureHeader = "X-Hub-Signature-256"

// SignWebhook returns the X-Hub-Signature-256 value of body:
// "sha256=" + base64(HMAC-SHA256(secret, body)). Genesys uses base64, not
// hex (genesys-api.md §8).
func SignWebhook(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Webhook signature errors.
var (
	ErrSignatureMissing = errors.New("missing " + SignatureHeader + " header")
	ErrSignatureInvalid = errors.New("bad " + SignatureHeader + " signature")
)

// VerifyWebhook checks a webhook body against its X-Hub-Signature-256
// header in constant time. An empty secret verifies nothing.
func VerifyWebhook(secret string, body []byte, header string) error {
	if secret == "" {
		return errors.New("no webhook secret configured")
	}
	header = strings.TrimSpace(header)
	if header == "" {
		return ErrSignatureMissing
	}
	if !hmac.Equal([]byte(header), []byte(SignWebhook(secret, body))) {
		return ErrSignatureInvalid
	}
	return nil
}

// SendOpenMessage posts a customer message to an Open Messaging integration
// (needs conversation:message:receive) and asks for the conversation id.
func (c *Client) SendOpenMessage(ctx context.Context, integrationID string, m OpenInboundMessage) (*OpenMessageResult, error) {
	if m.Channel.Time == "" {
		m.Channel.Time = c.cfg.Now().UTC().Format(time.RFC3339Nano)
	}
	var res OpenMessageResult
	path := "/api/v2/conversations/messages/" + url.PathEscape(integrationID) + "/inbound/open/message"
	q := url.Values{"prefetchConversationId": {"true"}}
	if err := c.postJSON(ctx, path, q, m, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// TransferToQueue replaces a participant of a conversation by a queue
// (POST .../participants/{pid}/replace/queue; needs
// conversation:communication:blindTransfer or ...:blindTransferQueue).
func (c *Client) TransferToQueue(ctx context.Context, conversationID, participantID string, req TransferToQueueRequest) error {
	path := "/api/v2/conversations/" + url.PathEscape(conversationID) + "/participants/" + url.PathEscape(participantID) + "/replace/queue"
	return c.postJSON(ctx, path, nil, req, nil)
}
