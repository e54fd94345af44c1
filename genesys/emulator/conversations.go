package emulator

import (
	"net/http"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
)

// The conversation endpoints: a message conversation in its two shapes,
// its end, and the transfer to a queue.

// conversationFor runs read on the conversation of the request, answering
// 404 itself when there is none.
func (e *Server) conversationFor(w http.ResponseWriter, c *call, read func(*emuConversation)) bool {
	m := e.msg
	m.mu.Lock()
	conv := m.convs[c.params["conversationId"]]
	if conv != nil {
		read(conv)
	}
	m.mu.Unlock()
	if conv == nil {
		writeError(w, http.StatusNotFound, "not.found", "The requested resource was not found.")
	}
	return conv != nil
}

// getMessageConversation is GET /api/v2/conversations/messages/{id}
// (MessageConversation). The SDK lists no permission for it.
func (e *Server) getMessageConversation(w http.ResponseWriter, _ *http.Request, c *call) {
	var out genesys.MessageConversation
	if e.conversationFor(w, c, func(conv *emuConversation) { out = conv.messageConversation(e.opts.Now()) }) {
		writeJSON(w, http.StatusOK, out)
	}
}

// getConversation is GET /api/v2/conversations/{id} in the generic shape
// (needs conversation:communication:view on Genesys; not checked here).
func (e *Server) getConversation(w http.ResponseWriter, _ *http.Request, c *call) {
	var out genesys.Conversation
	if e.conversationFor(w, c, func(conv *emuConversation) { out = conv.genericConversation(e.opts.Now()) }) {
		writeJSON(w, http.StatusOK, out)
	}
}

// patchMessageConversation is PATCH /api/v2/conversations/messages/{id}
// with {"state":"disconnected"}: every participant is disconnected, the
// customer's with disconnectType client (the middleware acted for it), the
// others' peer. It answers the generic conversation (the SDK's
// PatchConversationsMessage returns a Conversation).
func (e *Server) patchMessageConversation(w http.ResponseWriter, r *http.Request, c *call) {
	req, ok := permittedRequest[genesys.ConversationUpdate](e, w, r, c, genesys.PermDisconnect, genesys.PermMessagePark)
	if !ok {
		return
	}
	if req.State != genesys.StateDisconnected {
		writeError(w, http.StatusBadRequest, "bad.request", `Only state "disconnected" may be set.`)
		return
	}
	var out genesys.Conversation
	found := e.conversationFor(w, c, func(conv *emuConversation) {
		if conv.live() {
			e.change(conv, func(now time.Time) {
				e.disconnectAllLocked(conv, now, "the customer left (the conversation was disconnected)")
			})
		}
		out = conv.genericConversation(e.opts.Now())
	})
	if found {
		e.notifyMessaging()
		writeJSON(w, http.StatusOK, out)
	}
}

// replaceQueue is POST .../participants/{pid}/replace/queue: a connected
// participant other than the customer (the inbound flow, an acd or an
// agent) is replaced by a queue, which may be in any division (divisions
// do not restrict transfer targets). It answers 202 with no body (whether
// 202 or 204 is UNCONFIRMED).
func (e *Server) replaceQueue(w http.ResponseWriter, r *http.Request, c *call) {
	req, ok := permittedRequest[genesys.TransferToQueueRequest](e, w, r, c, genesys.PermBlindTransfer, genesys.PermBlindTransferQueue)
	if !ok {
		return
	}
	var q *org.Queue
	switch {
	case req.QueueID != "":
		if q = e.org.Queue(req.QueueID); q != nil && q.ID != req.QueueID {
			q = nil
		}
	case req.QueueName != "":
		if q = e.org.Queue(req.QueueName); q != nil && q.Name != req.QueueName {
			q = nil
		}
	default:
		writeError(w, http.StatusBadRequest, "bad.request", "queueId or queueName is required.")
		return
	}
	if q == nil {
		writeError(w, http.StatusNotFound, "not.found", "The queue was not found.")
		return
	}
	m := e.msg
	m.mu.Lock()
	conv := m.convs[c.params["conversationId"]]
	status, code, text := 0, "", ""
	switch {
	case conv == nil || conv.State == ConversationClosed:
		status, code, text = http.StatusNotFound, "not.found", "The conversation was not found or has ended."
	default:
		p := conv.party(c.params["participantId"])
		switch {
		case p == nil || e.opts.Now().Before(p.visibleAt):
			status, code, text = http.StatusNotFound, "not.found", "The participant was not found."
		case p.p.Purpose == genesys.PurposeCustomer || p.p.State != genesys.StateConnected:
			status, code, text = http.StatusBadRequest, "bad.request", "Only a connected participant holding the conversation can be replaced."
		default:
			e.change(conv, func(now time.Time) {
				p.end(now, "transfer")
				e.enqueueLocked(conv, q, now, "the conversation was transferred to queue "+q.Name)
			})
		}
	}
	m.mu.Unlock()
	if status != 0 {
		writeError(w, status, code, text)
		return
	}
	e.notifyMessaging()
	w.WriteHeader(http.StatusAccepted)
}

// enqueueLocked puts the conversation in queue q with a new acd
// participant.
func (e *Server) enqueueLocked(conv *emuConversation, q *org.Queue, now time.Time, note string) {
	conv.addParty(now, genesys.PurposeACD, q.Name, genesys.StateConnected, q, nil)
	conv.State = ConversationQueued
	conv.Queue = genesys.EntityRef{ID: q.ID, Name: q.Name, SelfURI: "/api/v2/routing/queues/" + q.ID}
	conv.Agent = ""
	conv.addMessage(Message{From: "system", Text: note, Time: now})
}
