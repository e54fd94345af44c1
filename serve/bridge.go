package serve

import (
	"context"
	"errors"
	"net/http"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/simulate"
)

// bridge is the chats' one way to and from Genesys: the chats call it to
// hand over, to send the customer's messages, to put a conversation in a
// queue and to leave a conversation; what Genesys says back reaches them
// as agentUpdates through the registry: agent messages from the Open
// Messaging webhook, and the conversation's lifecycle (joined,
// transferred, ended) from the lifecycle source, which reads the
// conversation's participants (lifecycle.go).
type bridge interface {
	// handOver starts a conversation for the customer in the queue and
	// watches its lifecycle. It is network I/O: the chat calls it holding
	// no lock.
	handOver(ctx context.Context, h handoverCall) (handedOver, error)
	// send delivers a customer message and returns the conversation it
	// went to: a new one when the previous one ended on Genesys's side.
	send(ctx context.Context, m customerMessage) (conversationID string, err error)
	// moveToQueue puts a conversation the customer's message started in
	// the chat's queue and watches it.
	moveToQueue(ctx context.Context, conversationID, customerID, queueID, queueName string) error
	// leave stops watching a conversation and ends it in Genesys unless it
	// is over (in the background, bounded by leaveTimeout).
	leave(conversationID string)
	// webhook serves POST /webhook, passing each verified update to
	// deliver and answering at once.
	webhook(w http.ResponseWriter, r *http.Request, deliver func(agentUpdate) updateResult)
	// start starts the lifecycle source, once.
	start()
	// lifecycleSource says where the lifecycle comes from (the log,
	// /healthz).
	lifecycleSource() string
	// close stops the lifecycle source and waits for the leaves under way.
	close()
}

// handoverCall is what a chat hands over with.
type handoverCall struct {
	customer   string // the chat's customer id (never the chat id)
	queue      string
	text       string // the first message the agent sees
	attributes map[string]string
}

// handedOver is the conversation a handover created.
type handedOver struct {
	conversationID string
	queueID        string
	division       string
}

// customerMessage is a message the customer typed while Genesys has the
// chat.
type customerMessage struct {
	customer     string
	conversation string // for the log
	text         string
	attributes   map[string]string
}

// agentUpdate is what Genesys says about a conversation, whatever carried
// it: the conversation and customer it is for, an id against replays
// (webhook messages), and what happened, in order.
type agentUpdate struct {
	conversationID string
	customerID     string
	messageID      string
	signals        []agentSignal
}

// agentSignal is one thing that happened in a conversation.
type agentSignal struct {
	kind    signalKind
	text    string   // signalText
	replies []string // signalText: quick replies, card buttons
	agent   string   // signalJoin, signalText, signalAgentTransfer: the agent's name when known
	queue   string   // signalJoin, signalTransfer: the queue's name
	queueID string   // signalJoin, signalTransfer
}

type signalKind int

const (
	signalText          signalKind = iota // the agent wrote
	signalJoin                            // an agent has the conversation (joined, or took it from another)
	signalTransfer                        // transferred to a queue
	signalAgentTransfer                   // transferred to another agent (agent), who has yet to join
	signalDisconnect                      // the agent ended the conversation
	signalExpired                         // Genesys ended it (its inactivity rules)
)

// updateResult is how an update was taken: an HTTP status and a one-key
// JSON answer ("ok", "ignored" or "error").
type updateResult struct {
	status int
	key    string
	text   string
}

// eventsFor maps a signal to engine events for a chat in state owner. Text
// while the chat waits in the queue implies that an agent joined (the
// lifecycle may tell later); a transfer to another agent makes the chat
// wait for that agent (simulate.AgentTransferToAgent) until it joins.
func eventsFor(s agentSignal, owner simulate.Owner) []simulate.AgentEvent {
	join := []simulate.AgentEvent{}
	if owner == simulate.OwnerQueued {
		join = append(join, simulate.AgentEvent{Action: simulate.AgentJoin})
	}
	switch s.kind {
	case signalText:
		return append(join, simulate.AgentEvent{Action: simulate.AgentSay, Text: s.text})
	case signalJoin:
		return join
	case signalTransfer:
		if owner != simulate.OwnerAgent || s.queue == "" {
			return nil
		}
		return []simulate.AgentEvent{{Action: simulate.AgentTransfer, Queue: s.queue}}
	case signalAgentTransfer:
		if owner != simulate.OwnerAgent || s.agent == "" {
			return nil
		}
		return []simulate.AgentEvent{{Action: simulate.AgentTransferToAgent, Agent: s.agent}}
	case signalDisconnect:
		return append(join, simulate.AgentEvent{Action: simulate.AgentClose})
	case signalExpired:
		if owner == simulate.OwnerQueued || owner == simulate.OwnerAgent {
			return []simulate.AgentEvent{{Action: simulate.AgentTimeout}}
		}
	}
	return nil
}

// resolutionOf turns a failed handover into the engine's terms. Errors that
// are neither a lookup verdict nor missing permissions fail as "not found";
// the page shows the Genesys error itself.
func resolutionOf(err error) simulate.Resolution {
	var he *genesys.HandoverError
	if errors.As(err, &he) {
		if he.Err == nil {
			return simulate.Resolution{Verdict: he.Verdict}
		}
		if perms := he.MissingPermissions(); len(perms) > 0 {
			return simulate.Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueReachable}, MissingPermissions: perms}
		}
	}
	return simulate.Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueNotFound}}
}
