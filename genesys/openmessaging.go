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
// receives agent messages and events on the integration's webhook, signed
// with X-Hub-Signature-256.

// OpenMessageFrom is a party of an Open Messaging message. IDType is Email,
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
// inbound message with; ConversationID is set when it was prefetched.
type OpenMessageResult struct {
	ID             string `json:"id"`
	Type           string `json:"type"`
	Text           string `json:"text,omitempty"`
	ConversationID string `json:"conversationId,omitempty"`
}

// OpenOutboundChannel is the channel of a webhook message.
type OpenOutboundChannel struct {
	ID        string          `json:"id"` // the integration id
	Platform  string          `json:"platform"`
	Type      string          `json:"type"`
	MessageID string          `json:"messageId,omitempty"`
	To        OpenMessageFrom `json:"to"`
	From      OpenMessageFrom `json:"from"`
	Time      string          `json:"time"`
}

// Outbound message types.
const (
	OpenTypeText  = "Text"
	OpenTypeEvent = "Event"
)

// Presence types of outbound Event messages. The shape of agent events on
// the Open Messaging webhook is UNCONFIRMED (genesys-api.md §8): flowctl
// uses Web Messaging's Presence vocabulary (Join, Disconnect,
// SessionExpired) and adds Transfer, which carries the new queue. A bridge
// must not depend on receiving Join or Transfer from real Genesys.
const (
	PresenceJoin           = "Join"           // an agent took the conversation
	PresenceTransfer       = "Transfer"       // the agent transferred it to Queue (flowctl emulator)
	PresenceDisconnect     = "Disconnect"     // the agent ended the conversation
	PresenceSessionExpired = "SessionExpired" // Genesys closed it for inactivity
)

// OpenPresence is a presence event; Queue names the queue on Join and
// Transfer (flowctl emulator).
type OpenPresence struct {
	Type  string     `json:"type"`
	Queue *EntityRef `json:"queue,omitempty"`
}

// OpenEvent is one event of an Event message.
type OpenEvent struct {
	EventType string        `json:"eventType"` // "Presence"
	Presence  *OpenPresence `json:"presence,omitempty"`
}

// OpenOutboundMessage is what Genesys posts to the integration's webhook: an
// agent's Text message or an Event.
type OpenOutboundMessage struct {
	ID                string              `json:"id"`
	Channel           OpenOutboundChannel `json:"channel"`
	ConversationID    string              `json:"conversationId"`
	Direction         string              `json:"direction"` // "Outbound"
	OriginatingEntity string              `json:"originatingEntity,omitempty"`
	Type              string              `json:"type"`
	Text              string              `json:"text,omitempty"`
	Events            []OpenEvent         `json:"events,omitempty"`
}

// Conversation is GET /api/v2/conversations/{id}, the fields flowctl reads.
type Conversation struct {
	ID           string        `json:"id"`
	Participants []Participant `json:"participants"`
}

// Participant is one party of a conversation. Purpose is customer, workflow,
// acd or agent; State is connected or disconnected.
type Participant struct {
	ID         string            `json:"id"`
	Name       string            `json:"name,omitempty"`
	Purpose    string            `json:"purpose"`
	State      string            `json:"state"`
	Queue      *EntityRef        `json:"queue,omitempty"`
	Attributes map[string]string `json:"attributes,omitempty"`
}

// TransferToQueueRequest is the body of replace/queue.
type TransferToQueueRequest struct {
	QueueID      string `json:"queueId,omitempty"`
	QueueName    string `json:"queueName,omitempty"`
	TransferType string `json:"transferType,omitempty"` // Attended or Unattended (default)
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

// Conversation returns GET /api/v2/conversations/{id}.
func (c *Client) Conversation(ctx context.Context, id string) (*Conversation, error) {
	var conv Conversation
	if err := c.get(ctx, "/api/v2/conversations/"+url.PathEscape(id), nil, &conv); err != nil {
		return nil, err
	}
	return &conv, nil
}

// TransferToQueue replaces a participant of a conversation by a queue
// (POST .../participants/{pid}/replace/queue; needs
// conversation:communication:blindTransfer or ...:blindTransferQueue).
func (c *Client) TransferToQueue(ctx context.Context, conversationID, participantID string, req TransferToQueueRequest) error {
	path := "/api/v2/conversations/" + url.PathEscape(conversationID) + "/participants/" + url.PathEscape(participantID) + "/replace/queue"
	return c.postJSON(ctx, path, nil, req, nil)
}
