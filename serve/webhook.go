package serve

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/flowctl/flowctl/genesys"
)

// openMessaging is the bridge over Genesys Open Messaging, real or
// emulated alike: the client hands over, sends the customer's messages and
// ends conversations; the integration's outbound webhook brings the
// agent's messages, signed with the secret; the lifecycle source tells who
// joined, transferred and ended.
type openMessaging struct {
	gc            *genesys.Client
	integrationID string
	secret        string // the webhook secret: never logged or served
	lc            *lifecycle
	logf          func(string, ...any)

	readTimeout time.Duration // for a webhook's body
	slots       chan struct{} // webhook requests in flight
	leaves      sync.WaitGroup
}

func newOpenMessaging(gc *genesys.Client, integrationID, secret string, lc *lifecycle, logf func(string, ...any), readTimeout time.Duration, maxWebhooks int) *openMessaging {
	return &openMessaging{
		gc: gc, integrationID: integrationID, secret: secret, lc: lc, logf: logf,
		readTimeout: readTimeout, slots: make(chan struct{}, maxWebhooks),
	}
}

// from is a customer's identity in Open Messaging.
func from(customer string) genesys.OpenMessageFrom {
	return genesys.OpenMessageFrom{ID: customer, IDType: "Opaque", Nickname: "Web chat " + customer[:6]}
}

func (o *openMessaging) handOver(ctx context.Context, h handoverCall) (handedOver, error) {
	res, err := o.gc.HandOver(ctx, genesys.Handover{
		IntegrationID: o.integrationID, From: from(h.customer), Text: h.text, Attributes: h.attributes, Queue: h.queue,
	})
	if err != nil {
		return handedOver{}, err
	}
	o.lc.watch(res.ConversationID, h.customer, res.Queue.ID)
	return handedOver{conversationID: res.ConversationID, queueID: res.Queue.ID, division: res.Queue.Division.Name}, nil
}

func (o *openMessaging) send(ctx context.Context, m customerMessage) (string, error) {
	msg := genesys.OpenInboundMessage{Channel: genesys.OpenInboundChannel{MessageID: newChatID(), From: from(m.customer)}, Text: m.text}
	if len(m.attributes) > 0 {
		msg.Channel.Metadata = &genesys.OpenChannelMetadata{CustomAttributes: m.attributes}
	}
	res, err := o.gc.SendOpenMessage(ctx, o.integrationID, msg)
	if err != nil {
		return "", err
	}
	return res.ConversationID, nil
}

func (o *openMessaging) moveToQueue(ctx context.Context, conversationID, customerID, queueID, queueName string) error {
	if err := o.gc.MoveToQueue(ctx, conversationID, genesys.Queue{ID: queueID, Name: queueName}); err != nil {
		return err
	}
	o.lc.watch(conversationID, customerID, queueID)
	return nil
}

// leaveTimeout bounds ending a conversation: shutdown waits for it.
const leaveTimeout = 10 * time.Second

// leave stops following a conversation and, unless its customer
// participant is known to be disconnected already, ends it: PATCH
// .../messages/{id} {"state":"disconnected"}, in the background, so that
// no agent picks up a chat with nobody behind it. close waits for it.
func (o *openMessaging) leave(id string) {
	if id == "" {
		return
	}
	if customerGone(o.lc.unwatch(id)) {
		return
	}
	o.leaves.Add(1)
	go func() {
		defer o.leaves.Done()
		ctx, cancel := context.WithTimeout(context.Background(), leaveTimeout)
		defer cancel()
		if err := o.gc.DisconnectConversation(ctx, id); err != nil {
			o.logf("conversation %s not ended in Genesys: %v", id, err)
		}
	}()
}

func (o *openMessaging) start()                  { o.lc.start() }
func (o *openMessaging) lifecycleSource() string { return o.lc.describe() }

func (o *openMessaging) close() {
	o.lc.stop()
	o.leaves.Wait()
}

// webhook is POST /webhook, the integration's outbound webhook. A body
// without a valid X-Hub-Signature-256 is refused with 401 before it is
// parsed; a body that does not arrive within readTimeout gets 408; beyond
// maxWebhooks requests at once, 503. A verified message is answered at
// once (Genesys waits 10 s, then retries): its chat applies it after the
// operations before it.
func (o *openMessaging) webhook(w http.ResponseWriter, r *http.Request, deliver func(agentUpdate) updateResult) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		jsonError(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	select {
	case o.slots <- struct{}{}:
		defer func() { <-o.slots }()
	default:
		w.Header().Set("Retry-After", "1")
		jsonError(w, http.StatusServiceUnavailable, fmt.Sprintf("too many webhook requests at once (at most %d): retry", cap(o.slots)))
		return
	}
	// The deadline covers the body: a client that trickles it is cut off.
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(o.readTimeout))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			jsonError(w, http.StatusRequestEntityTooLarge, "body too large")
		case errors.Is(err, os.ErrDeadlineExceeded):
			o.logf("webhook from %s refused: the body did not arrive within %s", r.RemoteAddr, o.readTimeout)
			jsonError(w, http.StatusRequestTimeout, fmt.Sprintf("the body did not arrive within %s", o.readTimeout))
		default:
			jsonError(w, http.StatusBadRequest, "cannot read the body")
		}
		return
	}
	if err := genesys.VerifyWebhook(o.secret, body, r.Header.Get(genesys.SignatureHeader)); err != nil {
		o.logf("webhook from %s refused: %v", r.RemoteAddr, err)
		jsonError(w, http.StatusUnauthorized, err.Error())
		return
	}
	var m genesys.OpenOutboundMessage
	if err := json.Unmarshal(body, &m); err != nil {
		jsonError(w, http.StatusBadRequest, "body is not an Open Messaging message")
		return
	}
	if m.Direction != "" && m.Direction != "Outbound" {
		writeJSONStatus(w, http.StatusOK, map[string]string{"ignored": "not outbound"})
		return
	}
	u, why := o.updateOf(m)
	if why != "" {
		writeJSONStatus(w, http.StatusOK, map[string]string{"ignored": why})
		return
	}
	res := deliver(u)
	writeJSONStatus(w, res.status, map[string]string{res.key: res.text})
}

// updateOf reads an outbound message as an update: the text of a Text or
// Structured message (quick replies and card buttons as its answers), by
// the agent the conversation's participants name (the channel's from is
// the integration). Receipts and events (typing, or of a type Open
// Messaging is not known to send) say nothing to the chat: why says which.
func (o *openMessaging) updateOf(m genesys.OpenOutboundMessage) (u agentUpdate, why string) {
	u = agentUpdate{conversationID: m.ConversationID, customerID: m.Channel.To.ID, messageID: m.ID}
	if u.messageID == "" {
		u.messageID = m.Channel.MessageID
	}
	switch m.Type {
	case genesys.OpenTypeReceipt:
		return u, "a receipt"
	case genesys.OpenTypeEvent:
		return u, eventKind(m.Events)
	}
	text, replies, ok := m.Display()
	if !ok {
		return u, "no text in the message"
	}
	u.signals = []agentSignal{{kind: signalText, text: text, replies: replies, agent: o.lc.agentName(m.ConversationID, m.Channel.To.ID)}}
	return u, ""
}

// eventKind says what an Event message is: typing, or (what Open
// Messaging is not known to send) events of other types, or none.
func eventKind(events []genesys.OpenEvent) string {
	var other []string
	for _, e := range events {
		if t := cmp.Or(e.EventType, "(none)"); t != "Typing" && !slices.Contains(other, t) {
			other = append(other, t)
		}
	}
	switch {
	case len(other) > 0:
		return "an event of type " + strings.Join(other, ", ") + ": Open Messaging sends integrations only Typing events"
	case len(events) == 0:
		return "an event without events"
	}
	return "a typing event"
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSONStatus(w, status, map[string]string{"error": msg})
}

func writeJSONStatus(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(mustJSON(v))
}
