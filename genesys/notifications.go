package genesys

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The Notification API (genesys-api.md §0.2): a channel (POST
// /api/v2/notifications/channels) with subscribed topics, whose events
// arrive on a websocket at the channel's connectUri. The SDK lists no
// permission for the channel endpoints; each topic may need its own, which
// Genesys names when it rejects the topic.

// Topics flowctl's bridge subscribes to, from notificationMappings.json.
const (
	// TopicQueueMessages (QueueConversationMessageEventTopicMessageConversation)
	// carries the whole message conversation on every change.
	TopicQueueMessages = "v2.routing.queues.%s.conversations.messages"
	// TopicDetailEvents is the prefix of the analytics detail events of
	// one conversation: .acd.start, .acd.end, .user.start, .user.end,
	// .customer.end.
	TopicDetailEvents = "v2.detail.events.conversation.%s"
	// TopicHeartbeat is the channel's heartbeat (and pong) topic.
	TopicHeartbeat = "channel.metadata"
	// TopicSocketClosing warns that the server is about to close the
	// socket (SystemMessageSystemMessage).
	TopicSocketClosing = "v2.system.socket_closing"
)

// DetailEventKinds are the detail events of a conversation the bridge
// subscribes to, each a topic TopicDetailEvents + "." + kind.
var DetailEventKinds = []string{"acd.start", "acd.end", "user.start", "user.end", "customer.end"}

// QueueTopic returns the queue topic of queue id.
func QueueTopic(queueID string) string { return fmt.Sprintf(TopicQueueMessages, queueID) }

// ConversationTopics returns the detail-event topics of a conversation.
func ConversationTopics(conversationID string) []string {
	out := make([]string, len(DetailEventKinds))
	for i, k := range DetailEventKinds {
		out[i] = fmt.Sprintf(TopicDetailEvents, conversationID) + "." + k
	}
	return out
}

// ConversationOfTopic returns the conversation id of a detail-event topic.
func ConversationOfTopic(topic string) (string, bool) {
	const prefix = "v2.detail.events.conversation."
	rest, ok := strings.CutPrefix(topic, prefix)
	if !ok {
		return "", false
	}
	id, _, ok := strings.Cut(rest, ".")
	return id, ok && id != ""
}

// NotificationChannel is Channel: POST /api/v2/notifications/channels.
// Expires is ISO-8601.
type NotificationChannel struct {
	ConnectURI string `json:"connectUri"`
	ID         string `json:"id"`
	Expires    string `json:"expires,omitempty"`
}

func (ch *NotificationChannel) check() error {
	if ch.ID == "" || ch.ConnectURI == "" {
		return fmt.Errorf("channel without id or connectUri")
	}
	return nil
}

// Topic subscription states (ChannelTopic.state).
const (
	TopicPermitted = "Permitted"
	TopicRejected  = "Rejected"
)

// ChannelTopic is one subscribed topic and Genesys's verdict on it.
type ChannelTopic struct {
	ID                 string   `json:"id"`
	State              string   `json:"state,omitempty"`
	RejectionReason    string   `json:"rejectionReason,omitempty"`
	MissingPermissions []string `json:"missingPermissions,omitempty"`
}

// ChannelTopicListing is ChannelTopicEntityListing.
type ChannelTopicListing struct {
	Entities []ChannelTopic `json:"entities"`
}

// Notification is one websocket frame: a topic's event.
type Notification struct {
	TopicName string            `json:"topicName"`
	Version   string            `json:"version,omitempty"`
	EventBody json.RawMessage   `json:"eventBody"`
	Metadata  map[string]string `json:"metadata,omitempty"`
}

// ConversationEvent is the body of the detail-event topics used
// (AcdStartEvent, AcdEndEvent, UserStartEvent, UserEndEvent,
// CustomerEndEvent): the fields they share that flowctl reads. The start
// events have no disconnectType; customer.end no userId or queueId.
type ConversationEvent struct {
	EventTime      int64  `json:"eventTime"`
	ConversationID string `json:"conversationId"`
	ParticipantID  string `json:"participantId,omitempty"`
	SessionID      string `json:"sessionId,omitempty"`
	DisconnectType string `json:"disconnectType,omitempty"`
	MediaType      string `json:"mediaType,omitempty"`
	UserID         string `json:"userId,omitempty"`
	DivisionID     string `json:"divisionId,omitempty"`
	QueueID        string `json:"queueId,omitempty"`
}

// SystemMessage is the body of the v2.system.* topics
// (SystemMessageSystemMessage).
type SystemMessage struct {
	ChannelID string `json:"channelId,omitempty"`
	Reason    string `json:"reason,omitempty"`
	Message   string `json:"message,omitempty"`
}

// HeartbeatBody is the body of channel.metadata frames.
type HeartbeatBody struct {
	Message string `json:"message"`
}

// CreateChannel creates a notification channel.
func (c *Client) CreateChannel(ctx context.Context) (*NotificationChannel, error) {
	var ch NotificationChannel
	r := request{method: http.MethodPost, path: "/api/v2/notifications/channels", retry: retryRateLimited}
	if err := c.do(ctx, r, &ch); err != nil {
		return nil, err
	}
	return &ch, nil
}

// SubscribeTopics adds topics to a channel (POST) or, with replace, makes
// them its whole list (PUT), with ignoreErrors=true: a topic Genesys
// refuses comes back Rejected instead of failing the others. The answer
// lists every topic of the channel.
func (c *Client) SubscribeTopics(ctx context.Context, channelID string, topics []string, replace bool) ([]ChannelTopic, error) {
	body := make([]ChannelTopic, len(topics))
	for i, t := range topics {
		body[i] = ChannelTopic{ID: t}
	}
	method := http.MethodPost
	if replace {
		method = http.MethodPut
	}
	var out ChannelTopicListing
	path := "/api/v2/notifications/channels/" + url.PathEscape(channelID) + "/subscriptions"
	if err := c.sendJSON(ctx, method, path, url.Values{"ignoreErrors": {"true"}}, body, &out, retryIdempotent); err != nil {
		return nil, err
	}
	return out.Entities, nil
}
