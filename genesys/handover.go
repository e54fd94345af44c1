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

// LookupQueue decides on the queue named exactly name with Resolve, as
// validate and check-queue do, over the facts a handover can afford: the
// visible queues of that name (the server's filter may be loose, so a
// queue differing in case shows too) and, when none is named exactly so,
// the queues of that name in other divisions, searched when the client may
// (routing:queue:search). The client's grants are not read. q is nil
// unless the verdict is reachable.
func (c *Client) LookupQueue(ctx context.Context, name string) (*Queue, flow.QueueVerdict, error) {
	f := &Facts{Source: SourceOnline}
	for _, term := range searchTerms(name) {
		qs, err := listAll[Queue](ctx, c, "/api/v2/routing/queues", url.Values{"name": {term}}, queuePageSize, 0)
		if err != nil {
			return nil, flow.QueueVerdict{}, err
		}
		f.Visible = appendNewQueues(f.Visible, qs)
	}
	if err := c.searchOthers(ctx, f, []string{name}); err != nil {
		return nil, flow.QueueVerdict{}, err
	}
	v := Resolve(f, []string{name}).Verdicts[name]
	for i, q := range f.Visible {
		if v.Status == flow.QueueReachable && q.ID == v.QueueID {
			return &f.Visible[i], v, nil
		}
	}
	return nil, v, nil
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
		return e.Verdict.Explain(e.Queue, "")
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
