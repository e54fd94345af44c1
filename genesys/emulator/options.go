package emulator

import (
	"context"
	"net/http"
	"time"

	"github.com/flowctl/flowctl/genesys"
)

// Options tune the emulator; the zero value is the default.
type Options struct {
	// HiddenQueueStatus answers GET /routing/queues/{id} for an existing
	// queue the caller may not see: 403 (default) or 404. Real Genesys's
	// answer is UNCONFIRMED.
	HiddenQueueStatus int
	// SubjectsMe chooses how GET /authorization/subjects/me answers a
	// client-credentials token (UNCONFIRMED on real Genesys): "error"
	// (default: 400 bad.request, the most likely real answer, so the
	// client's fallbacks are what runs), "empty" (no grants) or "grants"
	// (the client's grants).
	SubjectsMe string
	// TokenRoleDivisions fills OAuthClient.roleDivisions in tokens/me.
	TokenRoleDivisions bool
	// QueueNameCaseSensitive makes the ?name= filter of the queue listings
	// match case too (default: it ignores case; which Genesys does is
	// UNCONFIRMED). Either way flowctl judges names exactly itself.
	QueueNameCaseSensitive bool
	// OmitPageCount leaves pageCount out of paged answers (nextUri and
	// total remain), to test clients against listings without it.
	OmitPageCount bool
	// TokenTTL is the lifetime of issued tokens (default 24h).
	TokenTTL time.Duration
	// Now and Sleep replace the clock (tests): Sleep waits between
	// webhook delivery attempts.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error

	// Open Messaging and the conversation lifecycle. Every UNCONFIRMED
	// behaviour of real Genesys is a switch here (README, "live mode").

	// ParticipantDelay is how long after the first inbound message a new
	// conversation's participants appear in GET .../messages/{id} (real
	// Genesys: "a moment"). 0 means 100ms; negative, at once.
	ParticipantDelay time.Duration
	// Notifications chooses what the Notification API grants:
	// "all" (default: every topic), "queue" (only
	// v2.routing.queues.{id}.conversations.messages), "conversation" (only
	// the v2.detail.events.conversation.{id}.* topics), "refused" (every
	// topic Rejected) or "unavailable" (POST /notifications/channels
	// answers 403): which topics a client-credentials token may subscribe
	// to is UNCONFIRMED.
	Notifications string
	// HeartbeatInterval is how often a channel's socket gets a heartbeat
	// (default 30s; UNCONFIRMED).
	HeartbeatInterval time.Duration
	// ChannelTTL is a notification channel's lifetime (default 24h;
	// UNCONFIRMED): at its end the socket is told v2.system.socket_closing
	// and closed, and the channel is gone.
	ChannelTTL time.Duration
	// TimeoutDisconnectType is the disconnectType of the participants when
	// Genesys ends a conversation for inactivity (default "timeout";
	// UNCONFIRMED: "inactivity" and "system" are plausible too).
	TimeoutDisconnectType string
	// AgentEndKeepsCustomer leaves the customer participant connected
	// when the agent ends the conversation (default false: every
	// participant is disconnected; UNCONFIRMED for Open Messaging).
	AgentEndKeepsCustomer bool
	// InboundStatus is the status of a successful inbound message: 200
	// (default) or 202 (UNCONFIRMED which).
	InboundStatus int
	// ReplaceParticipant chooses which participant replace/queue may name
	// (UNCONFIRMED for Open Messaging): ReplaceHolder (default: any
	// connected participant but the customer: the inbound flow's workflow
	// participant, an acd or an agent) or ReplaceRouted (only an acd or
	// an agent: a conversation still in its inbound flow cannot be moved
	// by the API; 400).
	ReplaceParticipant string
	// TransferStatus is the status of a successful replace/queue: 202
	// (default) or 204 (UNCONFIRMED which; neither has a body).
	TransferStatus int
	// MessageConversationPermission, when set, is a permission GET
	// /api/v2/conversations/messages/{id} requires (403
	// missing.permissions without it). Default none: the SDK lists none,
	// which is UNCONFIRMED in practice.
	MessageConversationPermission string
	// WebhookConversationID puts conversationId in the webhook's outbound
	// messages. Default off: the outbound schema and the SDK's
	// ConversationNormalizedMessage have no such field, though captured
	// payloads in public client code carry one (UNCONFIRMED which is
	// real); the bridge routes by channel.to.id either way.
	WebhookConversationID bool
	// WebhookTimeout, WebhookRetries and WebhookRetryWait shape webhook
	// delivery: each attempt waits WebhookTimeout for the answer (default
	// 10s), and a timeout, 429 or 5xx is retried up to WebhookRetries
	// times (default 5; negative for none), WebhookRetryWait apart
	// (default 5s, on Sleep).
	WebhookTimeout   time.Duration
	WebhookRetries   int
	WebhookRetryWait time.Duration
}

// Values of Options.Notifications.
const (
	NotifyAll          = "all"
	NotifyQueue        = "queue"
	NotifyConversation = "conversation"
	NotifyRefused      = "refused"
	NotifyUnavailable  = "unavailable"
)

// Values of Options.ReplaceParticipant.
const (
	ReplaceHolder = "holder"
	ReplaceRouted = "routed"
)

// withDefaults fills the zero values.
func (opts Options) withDefaults() Options {
	if opts.HiddenQueueStatus != http.StatusNotFound {
		opts.HiddenQueueStatus = http.StatusForbidden
	}
	if opts.SubjectsMe != "empty" && opts.SubjectsMe != "grants" {
		opts.SubjectsMe = "error"
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 24 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = genesys.SleepContext
	}
	if opts.ParticipantDelay == 0 {
		opts.ParticipantDelay = 100 * time.Millisecond
	}
	if opts.Notifications == "" {
		opts.Notifications = NotifyAll
	}
	if opts.HeartbeatInterval <= 0 {
		opts.HeartbeatInterval = 30 * time.Second
	}
	if opts.ChannelTTL <= 0 {
		opts.ChannelTTL = 24 * time.Hour
	}
	if opts.TimeoutDisconnectType == "" {
		opts.TimeoutDisconnectType = "timeout"
	}
	if opts.InboundStatus != http.StatusAccepted {
		opts.InboundStatus = http.StatusOK
	}
	if opts.ReplaceParticipant != ReplaceRouted {
		opts.ReplaceParticipant = ReplaceHolder
	}
	if opts.TransferStatus != http.StatusNoContent {
		opts.TransferStatus = http.StatusAccepted
	}
	if opts.WebhookTimeout <= 0 {
		opts.WebhookTimeout = 10 * time.Second
	}
	if opts.WebhookRetries == 0 {
		opts.WebhookRetries = 5
	} else if opts.WebhookRetries < 0 {
		opts.WebhookRetries = 0
	}
	if opts.WebhookRetryWait <= 0 {
		opts.WebhookRetryWait = 5 * time.Second
	}
	return opts
}
