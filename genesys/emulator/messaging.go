package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
)

// messagingRoutes are the Open Messaging and conversation endpoints: the
// inbound customer message, the conversation in its two shapes, its end,
// and the transfer to a queue.
var messagingRoutes = []route{
	{method: http.MethodPost, pattern: "/api/v2/conversations/messages/{integrationId}/inbound/open/message", auth: true, handle: (*Server).inboundOpenMessage},
	{method: http.MethodGet, pattern: "/api/v2/conversations/messages/{conversationId}", auth: true, handle: (*Server).getMessageConversation},
	{method: http.MethodPatch, pattern: "/api/v2/conversations/messages/{conversationId}", auth: true, handle: (*Server).patchMessageConversation},
	{method: http.MethodGet, pattern: "/api/v2/conversations/{conversationId}", auth: true, handle: (*Server).getConversation},
	{method: http.MethodPost, pattern: "/api/v2/conversations/{conversationId}/participants/{participantId}/replace/queue", auth: true, handle: (*Server).replaceQueue},
}

// maxClosedConversations bounds the closed conversations kept for the desk.
const maxClosedConversations = 500

// maxConversationMessages and maxConversationBytes bound the messages kept
// per conversation; beyond either the oldest tenth is dropped at once
// (counted in Dropped).
const (
	maxConversationMessages = 1000
	maxConversationBytes    = 256 << 10
)

// ConversationState is where an emulated message conversation stands.
type ConversationState string

// Conversation states.
const (
	ConversationInFlow ConversationState = "flow"   // created by an inbound message, held by the integration's inbound flow
	ConversationQueued ConversationState = "queued" // waiting in a queue for an agent
	ConversationAgent  ConversationState = "agent"  // an agent has it
	// ConversationOffered: transferred to an agent (Agent), whose
	// participant is alerting until that agent accepts (AgentJoin).
	ConversationOffered ConversationState = "offered"
	ConversationClosed  ConversationState = "closed"
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
	Messages      []Message // the last ones, within maxConversationMessages and maxConversationBytes
	Dropped       int       // older messages no longer kept
	Created       time.Time
	Updated       time.Time
}

// Message is one message of a conversation. From is "customer",
// "agent" or "system"; Replies are an agent's quick replies.
type Message struct {
	From    string
	Name    string
	Text    string
	Replies []string
	Time    time.Time
}

func (m *Message) size() int {
	n := len(m.Text) + len(m.Name) + 64
	for _, r := range m.Replies {
		n += len(r)
	}
	return n
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
	parties []*party
	bytes   int // the size of Messages
	// deliver serialises agent messages and their webhook deliveries, so
	// the bridge gets them in order.
	deliver sync.Mutex
}

func newMessaging(webhookTimeout time.Duration) *messaging {
	return &messaging{
		convs: map[string]*emuConversation{}, open: map[string]*emuConversation{},
		webhooks: map[string]string{}, watchers: map[int]func(){},
		http: &http.Client{Timeout: webhookTimeout},
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

// inboundOpenMessage is POST .../{integrationId}/inbound/open/message: a
// customer message. The first message of a customer starts a conversation,
// held by the integration's inbound flow (a workflow participant) until
// transferred to a queue; its participants show after ParticipantDelay.
// After the conversation ended, the next message starts a new one.
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
		visible := now
		if e.opts.ParticipantDelay > 0 {
			visible = now.Add(e.opts.ParticipantDelay)
		}
		cust := conv.addParty(now, genesys.PurposeCustomer, customerName(from), genesys.StateConnected, nil, nil)
		cust.p.Attributes = map[string]string{}
		flow := conv.addParty(now, genesys.PurposeWorkflow, it.Name+" inbound flow", genesys.StateConnected, nil, nil)
		cust.visibleAt, flow.visibleAt = visible, visible
		m.convs[conv.ID] = conv
		m.order = append(m.order, conv)
		m.open[openKey(it.ID, from.ID)] = conv
	}
	if msg.Channel.Metadata != nil {
		cust := conv.customerParty()
		for k, v := range msg.Channel.Metadata.CustomAttributes {
			conv.Attributes[k] = v
			cust.p.Attributes[k] = v
		}
	}
	conv.addMessage(Message{From: "customer", Name: customerName(from), Text: msg.Text, Time: now})
	res := genesys.OpenMessageResult{ID: genesys.NewID(), Type: genesys.OpenTypeText, Text: msg.Text}
	if strings.EqualFold(c.query.Get("prefetchConversationId"), "true") {
		res.ConversationID = conv.ID
	}
	m.mu.Unlock()
	e.notifyMessaging()
	writeJSON(w, e.opts.InboundStatus, res)
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

// closeLocked marks the conversation closed: the customer's next message
// starts a new one.
func (e *Server) closeLocked(c *emuConversation, note string) {
	c.State = ConversationClosed
	c.note(e, note)
	m := e.msg
	if m.open[openKey(c.IntegrationID, c.Customer.ID)] == c {
		delete(m.open, openKey(c.IntegrationID, c.Customer.ID))
	}
	m.pruneLocked()
}

// pruneLocked forgets the oldest closed conversations beyond the bound.
func (m *messaging) pruneLocked() {
	closed := 0
	for _, c := range m.order {
		if c.State == ConversationClosed {
			closed++
		}
	}
	if closed <= maxClosedConversations {
		return
	}
	drop := closed - maxClosedConversations
	m.order = slices.DeleteFunc(m.order, func(c *emuConversation) bool {
		if drop > 0 && c.State == ConversationClosed {
			drop--
			delete(m.convs, c.ID)
			return true
		}
		return false
	})
}

func (c *emuConversation) note(e *Server, text string) {
	c.addMessage(Message{From: "system", Text: text, Time: e.opts.Now()})
}

// addMessage appends a message, keeping the last ones within
// maxConversationMessages and maxConversationBytes.
func (c *emuConversation) addMessage(msg Message) {
	for len(c.Messages) > 0 && (len(c.Messages) >= maxConversationMessages || c.bytes+msg.size() > maxConversationBytes) {
		n := max(1, len(c.Messages)/10)
		for _, old := range c.Messages[:n] {
			c.bytes -= old.size()
		}
		c.Messages = append(c.Messages[:0], c.Messages[n:]...)
		c.Dropped += n
	}
	c.Messages = append(c.Messages, msg)
	c.bytes += msg.size()
	c.Updated = msg.Time
}
