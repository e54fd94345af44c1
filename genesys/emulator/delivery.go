package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/flowctl/flowctl/genesys"
)

// agentAction applies change to a conversation under the lock, then
// delivers the message it returns to the integration's webhook. Actions on
// one conversation are delivered one at a time, in order. When the
// delivery fails or is refused the change is rolled back, so the emulator
// and the bridge agree on the conversation.
func (e *Server) agentAction(ctx context.Context, id string, change func(*emuConversation) (*genesys.OpenOutboundMessage, error)) error {
	m := e.msg
	m.mu.Lock()
	conv := m.convs[id]
	m.mu.Unlock()
	if conv == nil {
		return fmt.Errorf("%w %q", ErrNoConversation, id)
	}
	conv.deliver.Lock()
	defer conv.deliver.Unlock()
	m.mu.Lock()
	undo := conv.checkpoint(m)
	out, err := change(conv)
	it := e.integration(conv.IntegrationID)
	url := m.webhooks[conv.IntegrationID]
	if url == "" && it != nil {
		url = it.WebhookURL
	}
	if err != nil {
		m.mu.Unlock()
		return err
	}
	done := undo.changed(conv)
	m.mu.Unlock()
	e.notifyMessaging()
	secret := ""
	if it != nil {
		secret = it.WebhookSecret
	}
	if err := e.deliver(ctx, url, secret, out); err != nil {
		m.mu.Lock()
		undo.rollback(m, conv, done)
		m.mu.Unlock()
		e.notifyMessaging()
		return err
	}
	m.mu.Lock()
	m.pruneLocked()
	m.mu.Unlock()
	return nil
}

// convCheckpoint is a conversation before an agent action, to undo it.
type convCheckpoint struct {
	state        ConversationState
	queue        genesys.EntityRef
	agent        string
	updated      time.Time
	participants []genesys.Participant
	messages     int  // how many messages it had
	dropped      int  // and had dropped
	open         bool // it was the customer's open conversation
}

// convChange is what an agent action did: its state after, and the
// messages it added.
type convChange struct {
	state ConversationState
	agent string
	added []Message
}

func (c *emuConversation) checkpoint(m *messaging) convCheckpoint {
	return convCheckpoint{
		state: c.State, queue: c.Queue, agent: c.Agent, updated: c.Updated,
		participants: cloneParticipants(c.participants), messages: len(c.Messages), dropped: c.Dropped,
		open: m.open[openKey(c.IntegrationID, c.Customer.ID)] == c,
	}
}

func (cp convCheckpoint) changed(c *emuConversation) convChange {
	from := max(0, cp.messages-(c.Dropped-cp.dropped))
	return convChange{state: c.State, agent: c.Agent, added: slices.Clone(c.Messages[min(from, len(c.Messages)):])}
}

// rollback undoes an action (called with m.mu held): the messages it
// added go; the state comes back unless something else (the customer's
// bridge closing it) changed it since.
func (cp convCheckpoint) rollback(m *messaging, c *emuConversation, done convChange) {
	for _, msg := range done.added {
		if i := slices.Index(c.Messages, msg); i >= 0 {
			c.Messages = slices.Delete(c.Messages, i, i+1)
		}
	}
	if c.State != done.state || c.Agent != done.agent {
		return
	}
	c.State, c.Queue, c.Agent, c.Updated, c.participants = cp.state, cp.queue, cp.agent, cp.updated, cp.participants
	key := openKey(c.IntegrationID, c.Customer.ID)
	if cp.open && m.open[key] == nil {
		m.open[key] = c
	}
}

// deliver posts an outbound message to a webhook, signed with the
// integration's secret (unsigned when it has none, which a bridge rejects).
func (e *Server) deliver(ctx context.Context, url, secret string, out *genesys.OpenOutboundMessage) error {
	if url == "" {
		return &WebhookError{Err: errors.New("the integration has no webhook URL")}
	}
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return &WebhookError{URL: url, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "flowctl-genesys-emulator")
	if secret != "" {
		req.Header.Set(genesys.SignatureHeader, genesys.SignWebhook(secret, body))
	}
	resp, err := e.msg.http.Do(req)
	if err != nil {
		return &WebhookError{URL: url, Err: err}
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	if resp.StatusCode/100 != 2 {
		return &WebhookError{URL: url, Status: resp.StatusCode, Body: strings.TrimSpace(string(data))}
	}
	return nil
}
