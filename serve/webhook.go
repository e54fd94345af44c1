package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
)

// openMessaging is the bridge over Genesys Open Messaging: the client hands
// over and sends the customer's messages; the integration's outbound
// webhook brings agent messages and events back, signed with the secret.
// In emulator mode it also closes the conversations customers leave.
type openMessaging struct {
	gc            *genesys.Client
	integrationID string
	secret        string           // the webhook secret: never logged or served
	em            *emulator.Server // nil with real Genesys
	logf          func(string, ...any)

	readTimeout time.Duration // for a webhook's body
	slots       chan struct{} // webhook requests in flight
}

func newOpenMessaging(gc *genesys.Client, integrationID, secret string, em *emulator.Server, logf func(string, ...any), readTimeout time.Duration, maxWebhooks int) *openMessaging {
	return &openMessaging{
		gc: gc, integrationID: integrationID, secret: secret, em: em, logf: logf,
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
	return handedOver{conversationID: res.ConversationID, queueID: res.Queue.ID, division: res.Queue.Division.Name}, nil
}

func (o *openMessaging) send(ctx context.Context, m customerMessage) error {
	msg := genesys.OpenInboundMessage{Channel: genesys.OpenInboundChannel{MessageID: newChatID(), From: from(m.customer)}, Text: m.text}
	if len(m.attributes) > 0 {
		msg.Channel.Metadata = &genesys.OpenChannelMetadata{CustomAttributes: m.attributes}
	}
	_, err := o.gc.SendOpenMessage(ctx, o.integrationID, msg)
	return err
}

// leave closes an emulated conversation whose chat has gone. Real Genesys
// closes it by its own rules.
func (o *openMessaging) leave(id string) {
	if o.em == nil || id == "" {
		return
	}
	if err := o.em.CloseConversation(id, "the web chat ended (the customer left)"); err != nil && !errors.Is(err, emulator.ErrNoConversation) {
		o.logf("conversation %s not closed: %v", id, err)
	}
}

// webhook is POST /webhook, the integration's outbound webhook. A body
// without a valid X-Hub-Signature-256 is refused with 401 before it is
// parsed; a body that does not arrive within readTimeout gets 408; beyond
// maxWebhooks requests at once, 503.
func (o *openMessaging) webhook(w http.ResponseWriter, r *http.Request, deliver func(context.Context, agentUpdate) updateResult) {
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
	res := deliver(r.Context(), updateOf(m))
	writeJSONStatus(w, res.status, map[string]string{res.key: res.text})
}

// updateOf reads an outbound Open Messaging message as an update: the
// text of a Text or Structured message. Receipts and typing events say
// nothing to the chat.
func updateOf(m genesys.OpenOutboundMessage) agentUpdate {
	u := agentUpdate{conversationID: m.ConversationID, customerID: m.Channel.To.ID, messageID: m.ID}
	if u.messageID == "" {
		u.messageID = m.Channel.MessageID
	}
	if text, _, ok := m.Display(); ok {
		u.signals = append(u.signals, agentSignal{kind: signalText, text: text})
	}
	return u
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSONStatus(w, status, map[string]string{"error": msg})
}

func writeJSONStatus(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(mustJSON(v))
}
