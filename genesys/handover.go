package genesys

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/lazyre"
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
	Step    string // "lookup", "inbound", "conversation" (waiting for its participants) or "transfer"
	Queue   string
	Verdict flow.QueueVerdict
	Err     error
	// Client names the OAuth client in the verdict's sentence (OAuth
	// client "Bot"); "" says "the OAuth client".
	Client string
}

func (e *HandoverError) Error() string {
	if e.Err == nil {
		return e.Verdict.Explain(e.Queue, e.Client)
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

var permList = lazyre.New(`\[([^\]]+)\]`)

// TransferToQueueRequest is the body of replace/queue
// (TransferToQueueRequest).
type TransferToQueueRequest struct {
	QueueID      string `json:"queueId,omitempty"`
	QueueName    string `json:"queueName,omitempty"`
	TransferType string `json:"transferType,omitempty"` // Attended or Unattended (default)
}

// Waiting for the participants of a new conversation: they can appear a
// moment after the inbound message returns (genesys-api.md §0.1).
const (
	participantWait     = 15 * time.Second // the longest wait in all
	participantFirstTry = 250 * time.Millisecond
	participantMaxTry   = 2 * time.Second
)

// HandOver starts an Open Messaging conversation and transfers it to a
// queue: look the queue up by exact name; post the first inbound message
// with the attributes under channel.metadata.customAttributes; wait for
// the conversation's participants and replace the one holding it by the
// queue (MoveToQueue). Any failure is a *HandoverError.
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
	if err := c.MoveToQueue(ctx, res.ConversationID, *q); err != nil {
		var he *HandoverError
		if errors.As(err, &he) {
			he.Queue = h.Queue
		}
		return nil, err
	}
	return &HandoverResult{ConversationID: res.ConversationID, Queue: *q}, nil
}

// MoveToQueue puts a message conversation in queue q: it reads the
// conversation (GET /api/v2/conversations/messages/{id}) until a
// participant holds it, waiting with back-off up to participantWait, then
// replaces that participant by the queue (replace/queue, Unattended).
// Failures are *HandoverErrors of step "conversation" or "transfer".
//
// The participant to replace is UNCONFIRMED for Open Messaging: the
// connected workflow participant (the integration's inbound message flow,
// which holds a new conversation); else a connected acd participant (the
// flow already routed it: nothing to do when it is q itself); never the
// customer. When Genesys refuses to move a conversation its flow holds
// (400), the flow may still route it: the wait goes on for an acd
// participant, and the refusal is the error when none comes.
func (c *Client) MoveToQueue(ctx context.Context, conversationID string, q Queue) error {
	fail := func(step string, err error) error {
		return &HandoverError{Step: step, Queue: q.Name, Err: err}
	}
	var flowRefused error // replacing the workflow participant got 400
	wait, waited := participantFirstTry, time.Duration(0)
	for {
		conv, err := c.MessageConversation(ctx, conversationID)
		switch {
		case err != nil && !isNotFound(err):
			return fail("conversation", err)
		case err == nil:
			p, done := holder(conv, q.ID, flowRefused == nil)
			if done {
				return nil
			}
			if p != nil {
				req := TransferToQueueRequest{QueueID: q.ID, TransferType: "Unattended"}
				if q.ID == "" {
					req.QueueName = q.Name
				}
				err := c.TransferToQueue(ctx, conversationID, p.ID, req)
				var ae *APIError
				switch {
				case err == nil:
					return nil
				case p.Purpose == PurposeWorkflow && errors.As(err, &ae) && ae.Status == http.StatusBadRequest:
					flowRefused = err
				default:
					return fail("transfer", err)
				}
			}
		}
		if waited >= participantWait {
			if flowRefused != nil {
				return fail("transfer", fmt.Errorf("%w (and the inbound flow did not route the conversation to a queue within %s)", flowRefused, waited))
			}
			what := "does not exist"
			if err == nil {
				what = "has no participant holding it (" + describeParticipants(conv) + ")"
			}
			return fail("conversation", fmt.Errorf("conversation %s %s after %s", conversationID, what, waited))
		}
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return fail("conversation", err)
		}
		waited += wait
		wait = min(wait*2, participantMaxTry)
	}
}

// holder returns the participant replace/queue must name (the workflow
// participant only when flowOK); done when the conversation already waits
// in queue queueID.
func holder(conv *MessageConversation, queueID string, flowOK bool) (p *MessageParticipant, done bool) {
	var acd *MessageParticipant
	for i := range conv.Participants {
		pp := &conv.Participants[i]
		if pp.State != StateConnected {
			continue
		}
		switch pp.Purpose {
		case PurposeWorkflow:
			if flowOK {
				return pp, false
			}
		case PurposeACD:
			if pp.Queue != nil && pp.Queue.ID == queueID {
				return nil, true
			}
			if acd == nil {
				acd = pp
			}
		}
	}
	return acd, false
}

func describeParticipants(conv *MessageConversation) string {
	if len(conv.Participants) == 0 {
		return "no participants yet"
	}
	parts := make([]string, len(conv.Participants))
	for i, p := range conv.Participants {
		parts[i] = p.Purpose + " " + p.State
	}
	return strings.Join(parts, ", ")
}
