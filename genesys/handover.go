package genesys

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/flowctl/flowctl/flow"
)

// LookupQueue finds the queue of exactly that name among those visible to
// the client. When there is none, the verdict says why: a visible queue
// differing only in case or white space, a queue in a division the client
// cannot see (found by a cross-division search when the client holds
// routing:queue:search), or none. q is nil unless the verdict is reachable.
func (c *Client) LookupQueue(ctx context.Context, name string) (*Queue, flow.QueueVerdict, error) {
	visible, err := listAll[Queue](ctx, c, "/api/v2/routing/queues", url.Values{"name": {name}}, queuePageSize, 0)
	if err != nil {
		return nil, flow.QueueVerdict{}, err
	}
	var names []string
	for i, q := range visible {
		if q.Name == name {
			return &visible[i], flow.QueueVerdict{Status: flow.QueueReachable, QueueID: q.ID, Division: q.Division.Name}, nil
		}
		names = append(names, q.Name)
	}
	if similar := nearMisses(name, names); len(similar) > 0 {
		return nil, flow.QueueVerdict{Status: flow.QueueNameMismatch, Similar: similar}, nil
	}
	// Tell "exists elsewhere" from "does not exist" when the client may
	// search every division; without routing:queue:search it stays unknown.
	if others, err := c.SearchQueues(ctx, name); err == nil {
		for _, q := range others {
			if q.Name == name {
				return nil, flow.QueueVerdict{Status: flow.QueueDivisionNotPermitted, QueueID: q.ID, Division: q.Division.Name}, nil
			}
		}
	}
	return nil, flow.QueueVerdict{Status: flow.QueueNotFound}, nil
}

// Handover is what a bot hands to a queue over Open Messaging.
type Handover struct {
	IntegrationID string
	From          OpenMessageFrom
	MessageID     string // unique per message; generated when empty
	Text          string // the first message the agent sees
	Attributes    map[string]string
	Queue         string // exact queue name
}

// HandoverResult is the conversation a successful handover created.
type HandoverResult struct {
	ConversationID string
	Queue          Queue
}

// HandoverError says at which step a handover failed. Verdict is set when
// the queue lookup failed (Err is then nil).
type HandoverError struct {
	Step    string // "lookup", "inbound", "conversation" or "transfer"
	Queue   string
	Verdict flow.QueueVerdict
	Err     error
}

func (e *HandoverError) Error() string {
	if e.Err == nil {
		switch e.Verdict.Status {
		case flow.QueueNameMismatch:
			return fmt.Sprintf("GET /api/v2/routing/queues?name=%s: no visible queue is named exactly %q (did you mean %s?)", url.QueryEscape(e.Queue), e.Queue, quoteList(e.Verdict.Similar))
		case flow.QueueDivisionNotPermitted:
			return fmt.Sprintf("GET /api/v2/routing/queues?name=%s: queue %q is in division %q, where the OAuth client has no routing:queue:view", url.QueryEscape(e.Queue), e.Queue, e.Verdict.Division)
		}
		return fmt.Sprintf("GET /api/v2/routing/queues?name=%s: no queue named %q is visible to the OAuth client", url.QueryEscape(e.Queue), e.Queue)
	}
	return fmt.Sprintf("%s: %v", e.Step, e.Err)
}

func (e *HandoverError) Unwrap() error { return e.Err }

// MissingPermissions returns the permissions a 403 missing.permissions or
// missing.any.permissions answer names.
func (e *HandoverError) MissingPermissions() []string {
	var ae *APIError
	if !errors.As(e.Err, &ae) || ae.Status != 403 {
		return nil
	}
	m := permList.FindStringSubmatch(ae.Message)
	if m == nil {
		return nil
	}
	var out []string
	for _, p := range strings.Split(m[1], ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var permList = regexp.MustCompile(`\[([^\]]+)\]`)

// HandOver starts an Open Messaging conversation and transfers it to a
// queue: look the queue up by exact name; post the first inbound message
// with the attributes under channel.metadata.customAttributes; read the
// conversation to find the participant holding it (the integration's
// inbound flow); replace that participant by the queue. Any failure is a
// *HandoverError.
//
// Which participant replace/queue must name for a conversation that an
// Open Messaging integration just created is UNCONFIRMED: HandOver picks the
// first connected participant that is not the customer (workflow, acd or
// agent), else the customer.
func (c *Client) HandOver(ctx context.Context, h Handover) (*HandoverResult, error) {
	q, verdict, err := c.LookupQueue(ctx, h.Queue)
	if err != nil {
		return nil, &HandoverError{Step: "lookup", Queue: h.Queue, Err: err}
	}
	if q == nil {
		return nil, &HandoverError{Step: "lookup", Queue: h.Queue, Verdict: verdict}
	}
	msg := OpenInboundMessage{
		Channel: OpenInboundChannel{MessageID: h.MessageID, From: h.From},
		Text:    h.Text,
	}
	if msg.Channel.MessageID == "" {
		msg.Channel.MessageID = NewID()
	}
	if len(h.Attributes) > 0 {
		msg.Channel.Metadata = &OpenChannelMetadata{CustomAttributes: h.Attributes}
	}
	res, err := c.SendOpenMessage(ctx, h.IntegrationID, msg)
	if err != nil {
		return nil, &HandoverError{Step: "inbound", Queue: h.Queue, Err: err}
	}
	if res.ConversationID == "" {
		return nil, &HandoverError{Step: "inbound", Queue: h.Queue, Err: errors.New("Genesys returned no conversationId (prefetchConversationId=true)")}
	}
	conv, err := c.Conversation(ctx, res.ConversationID)
	if err != nil {
		return nil, &HandoverError{Step: "conversation", Queue: h.Queue, Err: err}
	}
	pid := holder(conv)
	if pid == "" {
		return nil, &HandoverError{Step: "conversation", Queue: h.Queue, Err: fmt.Errorf("conversation %s has no participant to transfer", conv.ID)}
	}
	req := TransferToQueueRequest{QueueID: q.ID, TransferType: "Unattended"}
	if err := c.TransferToQueue(ctx, conv.ID, pid, req); err != nil {
		return nil, &HandoverError{Step: "transfer", Queue: h.Queue, Err: err}
	}
	return &HandoverResult{ConversationID: conv.ID, Queue: *q}, nil
}

// holder returns the participant replace/queue should replace.
func holder(conv *Conversation) string {
	var customer string
	for _, p := range conv.Participants {
		if !strings.EqualFold(p.State, "connected") {
			continue
		}
		if p.Purpose == "customer" {
			if customer == "" {
				customer = p.ID
			}
			continue
		}
		return p.ID
	}
	return customer
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
