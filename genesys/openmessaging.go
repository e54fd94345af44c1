package genesys

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/flowctl/flowctl/flow"
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

// Permissions of the Open Messaging handover.
const (
	PermMessageReceive     = "conversation:message:receive"
	PermBlindTransfer      = "conversation:communication:blindTransfer"
	PermBlindTransferQueue = "conversation:communication:blindTransferQueue"
)

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
	if err := c.doJSON(ctx, "POST", path, q, m, &res); err != nil {
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
	return c.doJSON(ctx, "POST", path, nil, req, nil)
}

// LookupQueue finds the queue of exactly that name among those visible to
// the client. When there is none, the verdict says why: a visible queue
// differing only in case or white space, a queue in a division the client
// cannot see (found by a cross-division search when the client holds
// routing:queue:search), or none. q is nil unless the verdict is reachable.
func (c *Client) LookupQueue(ctx context.Context, name string) (*Queue, flow.QueueVerdict, error) {
	visible, err := listAll[Queue](ctx, c, "/api/v2/routing/queues", url.Values{"name": {name}}, queuePageSize, 0)
	if err != nil {
		return nil, flow.QueueVerdict{}, err
	}
	var names []string
	for i, q := range visible {
		if q.Name == name {
			return &visible[i], flow.QueueVerdict{Status: flow.QueueReachable, QueueID: q.ID, Division: q.Division.Name}, nil
		}
		names = append(names, q.Name)
	}
	if similar := nearMisses(name, names); len(similar) > 0 {
		return nil, flow.QueueVerdict{Status: flow.QueueNameMismatch, Similar: similar}, nil
	}
	// Tell "exists elsewhere" from "does not exist" when the client may
	// search every division; without routing:queue:search it stays unknown.
	if others, err := c.SearchQueues(ctx, name); err == nil {
		for _, q := range others {
			if q.Name == name {
				return nil, flow.QueueVerdict{Status: flow.QueueDivisionNotPermitted, QueueID: q.ID, Division: q.Division.Name}, nil
			}
		}
	}
	return nil, flow.QueueVerdict{Status: flow.QueueNotFound}, nil
}

// Handover is what a bot hands to a queue over Open Messaging.
type Handover struct {
	IntegrationID string
	From          OpenMessageFrom
	MessageID     string // unique per message; generated when empty
	Text          string // the first message the agent sees
	Attributes    map[string]string
	Queue         string // exact queue name
}

// HandoverResult is the conversation a successful handover created.
type HandoverResult struct {
	ConversationID string
	Queue          Queue
}

// HandoverError says at which step a handover failed. Verdict is set when
// the queue lookup failed (Err is then nil).
type HandoverError struct {
	Step    string // "lookup", "inbound", "conversation" or "transfer"
	Queue   string
	Verdict flow.QueueVerdict
	Err     error
}

func (e *HandoverError) Error() string {
	if e.Err == nil {
		switch e.Verdict.Status {
		case flow.QueueNameMismatch:
			return fmt.Sprintf("GET /api/v2/routing/queues?name=%s: no visible queue is named exactly %q (did you mean %s?)", url.QueryEscape(e.Queue), e.Queue, quoteList(e.Verdict.Similar))
		case flow.QueueDivisionNotPermitted:
			return fmt.Sprintf("GET /api/v2/routing/queues?name=%s: queue %q is in division %q, where the OAuth client has no routing:queue:view", url.QueryEscape(e.Queue), e.Queue, e.Verdict.Division)
		}
		return fmt.Sprintf("GET /api/v2/routing/queues?name=%s: no queue named %q is visible to the OAuth client", url.QueryEscape(e.Queue), e.Queue)
	}
	return fmt.Sprintf("%s: %v", e.Step, e.Err)
}

func (e *HandoverError) Unwrap() error { return e.Err }

// MissingPermissions returns the permissions a 403 missing.permissions or
// missing.any.permissions answer names.
func (e *HandoverError) MissingPermissions() []string {
	var ae *APIError
	if !errors.As(e.Err, &ae) || ae.Status != 403 {
		return nil
	}
	m := permList.FindStringSubmatch(ae.Message)
	if m == nil {
		return nil
	}
	var out []string
	for _, p := range strings.Split(m[1], ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var permList = regexp.MustCompile(`\[([^\]]+)\]`)

// HandOver starts an Open Messaging conversation and transfers it to a
// queue: look the queue up by exact name; post the first inbound message
// with the attributes under channel.metadata.customAttributes; read the
// conversation to find the participant holding it (the integration's
// inbound flow); replace that participant by the queue. Any failure is a
// *HandoverError.
//
// Which participant replace/queue must name for a conversation that an
// Open Messaging integration just created is UNCONFIRMED: HandOver picks the
// first connected participant that is not the customer (workflow, acd or
// agent), else the customer.
func (c *Client) HandOver(ctx context.Context, h Handover) (*HandoverResult, error) {
	q, verdict, err := c.LookupQueue(ctx, h.Queue)
	if err != nil {
		return nil, &HandoverError{Step: "lookup", Queue: h.Queue, Err: err}
	}
	if q == nil {
		return nil, &HandoverError{Step: "lookup", Queue: h.Queue, Verdict: verdict}
	}
	msg := OpenInboundMessage{
		Channel: OpenInboundChannel{MessageID: h.MessageID, From: h.From},
		Text:    h.Text,
	}
	if msg.Channel.MessageID == "" {
		msg.Channel.MessageID = newID()
	}
	if len(h.Attributes) > 0 {
		msg.Channel.Metadata = &OpenChannelMetadata{CustomAttributes: h.Attributes}
	}
	res, err := c.SendOpenMessage(ctx, h.IntegrationID, msg)
	if err != nil {
		return nil, &HandoverError{Step: "inbound", Queue: h.Queue, Err: err}
	}
	if res.ConversationID == "" {
		return nil, &HandoverError{Step: "inbound", Queue: h.Queue, Err: errors.New("Genesys returned no conversationId (prefetchConversationId=true)")}
	}
	conv, err := c.Conversation(ctx, res.ConversationID)
	if err != nil {
		return nil, &HandoverError{Step: "conversation", Queue: h.Queue, Err: err}
	}
	pid := holder(conv)
	if pid == "" {
		return nil, &HandoverError{Step: "conversation", Queue: h.Queue, Err: fmt.Errorf("conversation %s has no participant to transfer", conv.ID)}
	}
	req := TransferToQueueRequest{QueueID: q.ID, TransferType: "Unattended"}
	if err := c.TransferToQueue(ctx, conv.ID, pid, req); err != nil {
		return nil, &HandoverError{Step: "transfer", Queue: h.Queue, Err: err}
	}
	return &HandoverResult{ConversationID: conv.ID, Queue: *q}, nil
}

// holder returns the participant replace/queue should replace.
func holder(conv *Conversation) string {
	var customer string
	for _, p := range conv.Participants {
		if !strings.EqualFold(p.State, "connected") {
			continue
		}
		if p.Purpose == "customer" {
			if customer == "" {
				customer = p.ID
			}
			continue
		}
		return p.ID
	}
	return customer
}
