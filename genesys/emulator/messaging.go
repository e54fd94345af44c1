package emulator

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
)

// messagingRoutes are the Open Messaging endpoints of the emulator: inbound
// customer messages, reading a conversation, and the transfer to a queue.
var messagingRoutes = []route{
	{method: http.MethodPost, pattern: "/api/v2/conversations/messages/{integrationId}/inbound/open/message", auth: true, handle: (*Server).inboundOpenMessage},
	{method: http.MethodGet, pattern: "/api/v2/conversations/{conversationId}", auth: true, handle: (*Server).getConversation},
	{method: http.MethodPost, pattern: "/api/v2/conversations/{conversationId}/participants/{participantId}/replace/queue", auth: true, handle: (*Server).replaceQueue},
}

// maxRequestBytes is Genesys's request.bytes.max organisation limit.
const maxRequestBytes = 512000

// maxClosedConversations bounds the closed conversations kept for the desk.
const maxClosedConversations = 500

// maxConversationMessages bounds the messages kept per conversation; beyond
// it the oldest tenth is dropped at once (counted in Dropped).
const maxConversationMessages = 1000

// ConversationState is where an emulated message conversation stands.
type ConversationState string

// Conversation states.
const (
	ConversationInFlow ConversationState = "flow"   // created by an inbound message, held by the integration's inbound flow
	ConversationQueued ConversationState = "queued" // waiting in a queue for an agent
	ConversationAgent  ConversationState = "agent"  // an agent has it
	ConversationClosed ConversationState = "closed"
)

// Conversation is a snapshot of an emulated Open Messaging
// conversation, for the agent desk.
type Conversation struct {
	ID            string
	IntegrationID string
	Customer      genesys.OpenMessageFrom
	State         ConversationState
	Queue         genesys.EntityRef // the queue holding it (empty while in the flow)
	Agent         string            // the agent who has it
	Attributes    map[string]string
	Messages      []Message // the last ones, at most 1,000
	Dropped       int       // older messages no longer kept
	Created       time.Time
	Updated       time.Time
}

// Message is one message of a conversation. From is "customer",
// "agent" or "system".
type Message struct {
	From string
	Name string
	Text string
	Time time.Time
}

// messaging is the emulator's Open Messaging state, behind its own lock.
type messaging struct {
	mu       sync.Mutex
	convs    map[string]*emuConversation
	order    []*emuConversation
	open     map[string]*emuConversation // integration id + "\x00" + customer id -> open conversation
	webhooks map[string]string           // integration id -> webhook URL set at run time
	watchers map[int]func()
	nextW    int
	http     *http.Client
}

type emuConversation struct {
	Conversation
	participants []genesys.Participant
	// deliver serialises agent actions and their webhook deliveries, so the
	// bridge sees them in order.
	deliver sync.Mutex
}

func newMessaging() *messaging {
	return &messaging{
		convs: map[string]*emuConversation{}, open: map[string]*emuConversation{},
		webhooks: map[string]string{}, watchers: map[int]func(){},
		http: &http.Client{Timeout: 30 * time.Second},
	}
}

func openKey(integrationID, customerID string) string { return integrationID + "\x00" + customerID }

// integration returns the org's integration with that id (or name), or nil.
func (e *Server) integration(ref string) *org.Integration {
	for i := range e.org.Integrations {
		if it := &e.org.Integrations[i]; it.ID == ref || it.Name == ref {
			return it
		}
	}
	return nil
}

// requireAny answers 403 missing.any.permissions unless the client holds one
// of perms in some division.
func (e *Server) requireAny(w http.ResponseWriter, c *call, perms ...string) bool {
	for _, p := range perms {
		if e.org.ClientCan(c.client, p, "") {
			return true
		}
	}
	writeError(w, http.StatusForbidden, "missing.any.permissions", "Unable to perform the requested action. You must have at least one of the following permissions assigned: ["+strings.Join(perms, ", ")+"]")
	return false
}

// readJSON decodes a request body of at most maxRequestBytes, answering 400
// or 413 itself on failure.
func readJSON(w http.ResponseWriter, r *http.Request, v any) ([]byte, bool) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, "request.entity.too.large", "The request is larger than the organization's request.bytes.max limit.")
		} else {
			writeError(w, http.StatusBadRequest, "bad.request", "The request could not be read.")
		}
		return nil, false
	}
	if err := json.Unmarshal(data, v); err != nil {
		writeError(w, http.StatusBadRequest, "bad.request", "The request could not be understood by the server due to malformed syntax.")
		return nil, false
	}
	return data, true
}

// inboundOpenMessage is POST .../{integrationId}/inbound/open/message: a
// customer message. The first message of a customer starts a conversation,
// held by the integration's inbound flow until transferred to a queue.
// customAttributes are read from channel.metadata; at the top level they
// get 400, as observed on Genesys.
func (e *Server) inboundOpenMessage(w http.ResponseWriter, r *http.Request, c *call) {
	if !e.require(w, c, genesys.PermMessageReceive) {
		return
	}
	it := e.integration(c.params["integrationId"])
	if it == nil || it.ID != c.params["integrationId"] {
		writeError(w, http.StatusNotFound, "not.found", "The requested resource was not found.")
		return
	}
	var msg genesys.OpenInboundMessage
	data, ok := readJSON(w, r, &msg)
	if !ok {
		return
	}
	var top struct {
		Metadata map[string]json.RawMessage `json:"metadata"`
	}
	if json.Unmarshal(data, &top) == nil && top.Metadata["customAttributes"] != nil {
		writeError(w, http.StatusBadRequest, "bad.request", "customAttributes are not allowed in metadata; use channel.metadata.customAttributes.")
		return
	}
	from := msg.Channel.From
	switch {
	case from.ID == "" || !slices.Contains([]string{"Email", "Phone", "Opaque"}, from.IDType):
		writeError(w, http.StatusBadRequest, "bad.request", "channel.from.id and channel.from.idType (Email, Phone or Opaque) are required.")
		return
	case strings.TrimSpace(msg.Text) == "":
		writeError(w, http.StatusBadRequest, "bad.request", "text is required.")
		return
	}
	now := e.opts.Now()
	m := e.msg
	m.mu.Lock()
	conv := m.open[openKey(it.ID, from.ID)]
	if conv == nil {
		conv = &emuConversation{Conversation: Conversation{
			ID: genesys.NewID(), IntegrationID: it.ID, Customer: from, State: ConversationInFlow,
			Attributes: map[string]string{}, Created: now,
		}}
		conv.participants = []genesys.Participant{
			{ID: genesys.NewID(), Name: customerName(from), Purpose: "customer", State: "connected", Attributes: map[string]string{}},
			{ID: genesys.NewID(), Name: it.Name, Purpose: "workflow", State: "connected"},
		}
		m.convs[conv.ID] = conv
		m.order = append(m.order, conv)
		m.open[openKey(it.ID, from.ID)] = conv
	}
	if msg.Channel.Metadata != nil {
		for k, v := range msg.Channel.Metadata.CustomAttributes {
			conv.Attributes[k] = v
			conv.participants[0].Attributes[k] = v
		}
	}
	conv.addMessage(Message{From: "customer", Name: customerName(from), Text: msg.Text, Time: now})
	res := genesys.OpenMessageResult{ID: genesys.NewID(), Type: genesys.OpenTypeText, Text: msg.Text}
	if strings.EqualFold(c.query.Get("prefetchConversationId"), "true") {
		res.ConversationID = conv.ID
	}
	m.mu.Unlock()
	e.notifyMessaging()
	// Whether Genesys answers 200 or 202 is UNCONFIRMED; the client takes both.
	writeJSON(w, http.StatusOK, res)
}

func customerName(f genesys.OpenMessageFrom) string {
	if n := strings.TrimSpace(f.FirstName + " " + f.LastName); n != "" {
		return n
	}
	if f.Nickname != "" {
		return f.Nickname
	}
	return f.ID
}

// getConversation is GET /api/v2/conversations/{id}. Real Genesys needs
// conversation:communication:view (UNCONFIRMED for Open Messaging
// middleware); the emulator does not check it.
func (e *Server) getConversation(w http.ResponseWriter, _ *http.Request, c *call) {
	m := e.msg
	m.mu.Lock()
	conv := m.convs[c.params["conversationId"]]
	var out genesys.Conversation
	if conv != nil {
		out = genesys.Conversation{ID: conv.ID, Participants: cloneParticipants(conv.participants)}
	}
	m.mu.Unlock()
	if conv == nil {
		writeError(w, http.StatusNotFound, "not.found", "The requested resource was not found.")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func cloneParticipants(ps []genesys.Participant) []genesys.Participant {
	out := make([]genesys.Participant, len(ps))
	for i, p := range ps {
		out[i] = p
		if p.Queue != nil {
			q := *p.Queue
			out[i].Queue = &q
		}
		if p.Attributes != nil {
			out[i].Attributes = make(map[string]string, len(p.Attributes))
			for k, v := range p.Attributes {
				out[i].Attributes[k] = v
			}
		}
	}
	return out
}

// replaceQueue is POST .../participants/{pid}/replace/queue: the
// participant (the inbound flow or an agent) is replaced by a queue, which
// may be in any division (divisions do not restrict transfer targets). It
// answers 202 with no body (whether 202 or 204 is UNCONFIRMED).
func (e *Server) replaceQueue(w http.ResponseWriter, r *http.Request, c *call) {
	if !e.requireAny(w, c, genesys.PermBlindTransfer, genesys.PermBlindTransferQueue) {
		return
	}
	var req genesys.TransferToQueueRequest
	if _, ok := readJSON(w, r, &req); !ok {
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
		i := slices.IndexFunc(conv.participants, func(p genesys.Participant) bool { return p.ID == c.params["participantId"] })
		switch {
		case i < 0:
			status, code, text = http.StatusNotFound, "not.found", "The participant was not found."
		case conv.participants[i].Purpose == "customer" || conv.participants[i].State != "connected":
			status, code, text = http.StatusBadRequest, "bad.request", "Only a connected participant holding the conversation can be replaced."
		default:
			conv.participants[i].State = "disconnected"
			e.enqueueLocked(conv, q, "the integration transferred the chat to queue "+q.Name)
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

// enqueueLocked puts the conversation in queue q with an acd participant.
func (e *Server) enqueueLocked(conv *emuConversation, q *org.Queue, note string) {
	ref := genesys.EntityRef{ID: q.ID, Name: q.Name, SelfURI: "/api/v2/routing/queues/" + q.ID}
	conv.participants = append(conv.participants, genesys.Participant{ID: genesys.NewID(), Name: q.Name, Purpose: "acd", State: "connected", Queue: &ref})
	conv.State = ConversationQueued
	conv.Queue = ref
	conv.Agent = ""
	conv.addMessage(Message{From: "system", Text: note, Time: e.opts.Now()})
}
