package serve

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/simulate"
)

// handleWebhook is POST /webhook, the Open Messaging integration's outbound
// webhook: agent messages and events for the chats handed over. A body
// without a valid X-Hub-Signature-256 is refused with 401 before it is
// parsed.
func (s *Server) handleWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		jsonError(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			jsonError(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		jsonError(w, http.StatusBadRequest, "cannot read the body")
		return
	}
	if err := genesys.VerifyWebhook(s.secret, body, r.Header.Get(genesys.SignatureHeader)); err != nil {
		s.logf("webhook from %s refused: %v", r.RemoteAddr, err)
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
	c := s.chatOf(m)
	if c == nil {
		jsonError(w, http.StatusNotFound, "no chat for conversation "+m.ConversationID)
		return
	}
	res := c.webhook(m)
	writeJSONStatus(w, res.status, map[string]string{res.key: res.text})
}

// chatOf finds the chat a webhook message is for: by conversation id, else
// by the recipient, the chat's customer id (a message may arrive before the
// handover that created its conversation has returned).
func (s *Server) chatOf(m genesys.OpenOutboundMessage) *chat {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.byConv[m.ConversationID]; c != nil {
		return c
	}
	return s.byCustomer[m.Channel.To.ID]
}

// agentEvents maps a webhook message to engine events for the chat in its
// current state (owner). An agent message or event while the chat still waits in
// the queue implies the agent joined (real Genesys may not announce it);
// events that change nothing (a second Join, typing) map to none.
func agentEvents(m genesys.OpenOutboundMessage, owner simulate.Owner) ([]simulate.AgentEvent, string) {
	name := m.Channel.From.Nickname
	var evs []simulate.AgentEvent
	joinFirst := func() {
		if owner == simulate.OwnerQueued {
			evs = append(evs, simulate.AgentEvent{Action: simulate.AgentJoin})
			owner = simulate.OwnerAgent
		}
	}
	switch m.Type {
	case genesys.OpenTypeText:
		if m.Text == "" {
			return nil, ""
		}
		joinFirst()
		evs = append(evs, simulate.AgentEvent{Action: simulate.AgentSay, Text: m.Text})
	case genesys.OpenTypeEvent:
		for _, e := range m.Events {
			if e.Presence == nil {
				continue
			}
			switch e.Presence.Type {
			case genesys.PresenceJoin:
				joinFirst()
			case genesys.PresenceTransfer:
				if e.Presence.Queue == nil || e.Presence.Queue.Name == "" {
					continue
				}
				joinFirst()
				evs = append(evs, simulate.AgentEvent{Action: simulate.AgentTransfer, Queue: e.Presence.Queue.Name})
				owner = simulate.OwnerQueued
			case genesys.PresenceDisconnect:
				joinFirst()
				evs = append(evs, simulate.AgentEvent{Action: simulate.AgentClose})
				owner = simulate.OwnerClosed
			case genesys.PresenceSessionExpired:
				if owner == simulate.OwnerQueued || owner == simulate.OwnerAgent {
					evs = append(evs, simulate.AgentEvent{Action: simulate.AgentTimeout})
				}
				owner = simulate.OwnerClosed
			}
		}
	}
	return evs, name
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSONStatus(w, status, map[string]string{"error": msg})
}

func writeJSONStatus(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(mustJSON(v))
}
