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
// hand over, to send the customer's messages and to leave a conversation,
// and what Genesys says back (agent messages and lifecycle) reaches them
// as agentUpdates through the registry. Today it is Open Messaging with
// its outbound webhook; another source of lifecycle events plugs in here,
// not in the chats or the pages.
type bridge interface {
	// handOver starts a conversation for the customer in the queue. It is
	// network I/O: the chat calls it holding no lock.
	handOver(ctx context.Context, h handoverCall) (handedOver, error)
	// send delivers a customer message to the chat's conversation.
	send(ctx context.Context, m customerMessage) error
	// leave tells Genesys the customer has gone from the conversation.
	leave(conversationID string)
	// webhook serves POST /webhook, passing each verified update to
	// deliver.
	webhook(w http.ResponseWriter, r *http.Request, deliver func(context.Context, agentUpdate) updateResult)
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
// it: the conversation and customer it is for, an id against replays, the
// agent's name, and what happened, in order.
type agentUpdate struct {
	conversationID string
	customerID     string
	messageID      string
	agent          string
	signals        []agentSignal
}

// agentSignal is one thing that happened in a conversation.
type agentSignal struct {
	kind  signalKind
	text  string // signalText
	queue string // signalTransfer
}

type signalKind int

const (
	signalText       signalKind = iota // the agent wrote text
	signalJoin                         // an agent joined
	signalTransfer                     // transferred to queue
	signalDisconnect                   // the agent ended the conversation
	signalExpired                      // Genesys ended it (session expired)
)

// updateResult is how an update was taken: an HTTP status and a one-key
// JSON answer ("ok", "ignored" or "error").
type updateResult struct {
	status int
	key    string
	text   string
}

// agentEvents maps an update's signals to engine events for a chat in
// state owner. A signal while the chat still waits in the queue implies
// the agent joined (real Genesys may not announce it); signals that change
// nothing (a second join) map to none.
func agentEvents(u agentUpdate, owner simulate.Owner) []simulate.AgentEvent {
	var evs []simulate.AgentEvent
	joinFirst := func() {
		if owner == simulate.OwnerQueued {
			evs = append(evs, simulate.AgentEvent{Action: simulate.AgentJoin})
			owner = simulate.OwnerAgent
		}
	}
	for _, s := range u.signals {
		switch s.kind {
		case signalText:
			joinFirst()
			evs = append(evs, simulate.AgentEvent{Action: simulate.AgentSay, Text: s.text})
		case signalJoin:
			joinFirst()
		case signalTransfer:
			joinFirst()
			evs = append(evs, simulate.AgentEvent{Action: simulate.AgentTransfer, Queue: s.queue})
			owner = simulate.OwnerQueued
		case signalDisconnect:
			joinFirst()
			evs = append(evs, simulate.AgentEvent{Action: simulate.AgentClose})
			owner = simulate.OwnerClosed
		case signalExpired:
			if owner == simulate.OwnerQueued || owner == simulate.OwnerAgent {
				evs = append(evs, simulate.AgentEvent{Action: simulate.AgentTimeout})
			}
			owner = simulate.OwnerClosed
		}
	}
	return evs
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
