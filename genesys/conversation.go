package genesys

import (
	"context"
	"net/http"
	"net/url"
)

// Conversations as Genesys shows them (genesys-api.md §0.1). Only
// GET /api/v2/conversations/messages/{id} gives each participant a
// top-level state, purpose and queue; the generic
// GET /api/v2/conversations/{id} keeps the state per media and the queue
// as queueId/queueName.

// Participant purposes and states of a message conversation.
const (
	PurposeCustomer = "customer"
	PurposeAgent    = "agent"
	PurposeACD      = "acd"
	PurposeWorkflow = "workflow"

	StateAlerting     = "alerting"
	StateConnected    = "connected"
	StateDisconnected = "disconnected"
)

// MessageConversation is GET /api/v2/conversations/messages/{id}
// (MessageConversation) and the body of the queue topic
// v2.routing.queues.{id}.conversations.messages
// (QueueConversationMessageEventTopicMessageConversation): the fields both
// models share that flowctl reads.
type MessageConversation struct {
	ID           string               `json:"id"`
	Participants []MessageParticipant `json:"participants"`
}

// MessageParticipant is MessageMediaParticipant (and its topic twin,
// QueueConversationMessageEventTopicMessageMediaParticipant). Times are
// ISO-8601 strings; User and Queue carry id and name only (the topic's
// UriReference has no selfUri).
type MessageParticipant struct {
	ID             string            `json:"id"`
	Name           string            `json:"name,omitempty"`
	StartTime      string            `json:"startTime,omitempty"`
	ConnectedTime  string            `json:"connectedTime,omitempty"`
	EndTime        string            `json:"endTime,omitempty"`
	Purpose        string            `json:"purpose"`
	State          string            `json:"state"`
	Direction      string            `json:"direction,omitempty"`
	DisconnectType string            `json:"disconnectType,omitempty"`
	User           *EntityRef        `json:"user,omitempty"`
	Queue          *EntityRef        `json:"queue,omitempty"`
	Attributes     map[string]string `json:"attributes,omitempty"`
}

// Conversation is GET /api/v2/conversations/{id} (Conversation) in the
// generic shape: a participant's state is per media.
type Conversation struct {
	ID           string        `json:"id"`
	StartTime    string        `json:"startTime,omitempty"`
	EndTime      string        `json:"endTime,omitempty"`
	Participants []Participant `json:"participants"`
	SelfURI      string        `json:"selfUri,omitempty"`
}

// Participant is the generic Participant: no top-level state or queue
// object.
type Participant struct {
	ID            string            `json:"id"`
	StartTime     string            `json:"startTime,omitempty"`
	EndTime       string            `json:"endTime,omitempty"`
	ConnectedTime string            `json:"connectedTime,omitempty"`
	Name          string            `json:"name,omitempty"`
	UserID        string            `json:"userId,omitempty"`
	QueueID       string            `json:"queueId,omitempty"`
	QueueName     string            `json:"queueName,omitempty"`
	Purpose       string            `json:"purpose"`
	Attributes    map[string]string `json:"attributes,omitempty"`
	Messages      []MessageMedia    `json:"messages,omitempty"`
}

// MessageMedia is the generic Message: one participant's message
// communication, with its state.
type MessageMedia struct {
	ID               string `json:"id"`
	State            string `json:"state"`
	Direction        string `json:"direction,omitempty"`
	DisconnectType   string `json:"disconnectType,omitempty"`
	ConnectedTime    string `json:"connectedTime,omitempty"`
	DisconnectedTime string `json:"disconnectedTime,omitempty"`
}

// ConversationUpdate is the body of PATCH
// /api/v2/conversations/messages/{id} (a Conversation with only state
// set): "disconnected" disconnects every participant.
type ConversationUpdate struct {
	State string `json:"state"`
}

// MessageConversation returns GET /api/v2/conversations/messages/{id}: the
// participants with their state, purpose and queue. [PY:ConversationsApi]
// lists no permission for it (UNCONFIRMED in practice).
func (c *Client) MessageConversation(ctx context.Context, id string) (*MessageConversation, error) {
	return getOne[MessageConversation](ctx, c, "/api/v2/conversations/messages/"+url.PathEscape(id), nil)
}

// Conversation returns GET /api/v2/conversations/{id} in the generic shape
// (needs conversation:communication:view).
func (c *Client) Conversation(ctx context.Context, id string) (*Conversation, error) {
	return getOne[Conversation](ctx, c, "/api/v2/conversations/"+url.PathEscape(id), nil)
}

// DisconnectConversation ends a message conversation: PATCH
// /api/v2/conversations/messages/{id} with {"state":"disconnected"}, which
// disconnects every participant (needs conversation:communication:disconnect
// or conversation:message:park). The SDK's PatchConversationsMessage takes
// a Conversation body; the per-participant PATCH is not used.
func (c *Client) DisconnectConversation(ctx context.Context, id string) error {
	return c.sendJSON(ctx, http.MethodPatch, "/api/v2/conversations/messages/"+url.PathEscape(id), nil, ConversationUpdate{State: StateDisconnected}, nil, retryIdempotent)
}

// Queue returns GET /api/v2/routing/queues/{id} (needs routing:queue:view
// in the queue's division).
func (c *Client) Queue(ctx context.Context, id string) (*Queue, error) {
	return getOne[Queue](ctx, c, "/api/v2/routing/queues/"+url.PathEscape(id), nil)
}
