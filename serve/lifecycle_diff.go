package serve

import (
	"strings"

	"github.com/flowctl/flowctl/genesys"
)

// The conversation's lifecycle, read from its participants
// (genesys-api.md §0.1-0.2): Open Messaging says nothing of agents
// joining, transferring or ending, so the bridge compares two snapshots of
// the message conversation (GET /api/v2/conversations/messages/{id}, or
// the queue topic's body) and tells the chat what happened between them.
//
// How the participants are read (participants are listed in the order they
// joined; purpose, state, disconnectType, queue and user as in
// MessageMediaParticipant):
//   - a new agent participant (alerting or connected) right after an agent
//     who had connected, with no acd participant between them: the first
//     agent transferred the conversation to this one (an agent offered by
//     a queue comes after an acd participant, or after an agent who never
//     answered);
//   - an agent participant that has connected (state connected, or a
//     connectedTime) and had not before: an agent joined, named by the
//     participant's name (or its user's), from its queue;
//   - a new acd participant after an agent had the conversation: a
//     transfer to that queue; the first acd (the handover's own transfer)
//     says nothing;
//   - an agent participant that ends after connecting: with a
//     disconnectType transfer* nothing (the target shows as a new acd or
//     agent participant: a transfer to a queue or to another agent); with
//     timeout, inactivity, system, error, transport.failure, spam or
//     uncallable, Genesys ended the conversation (genesys-timeout);
//     anything else (client, endpoint, peer, other, none) is the agent
//     ending it;
//   - an acd participant that ends other than by transfer while no agent
//     had joined after it: Genesys ended the conversation in the queue.
//
// Which disconnectType real Genesys gives its own inactivity timeout is
// UNCONFIRMED (the emulator's TimeoutDisconnectType); every value above
// that is not the agent's is read as Genesys's end.

// genesysEnds are the disconnectTypes of an end Genesys made, not the
// agent.
var genesysEnds = map[string]bool{
	"timeout": true, "inactivity": true, "system": true, "error": true,
	"transport.failure": true, "spam": true, "uncallable": true,
}

// diffConversation returns what happened in a conversation between prev
// (nil: nothing seen yet) and cur, in order.
func diffConversation(prev, cur *genesys.MessageConversation) []agentSignal {
	before := map[string]*genesys.MessageParticipant{}
	if prev != nil {
		for i := range prev.Participants {
			before[prev.Participants[i].ID] = &prev.Participants[i]
		}
	}
	var out []agentSignal
	agentSeen := false // an agent had connected earlier in the list
	agentLast := false // the last agent or acd participant so far is an agent who connected
	for i := range cur.Participants {
		p := &cur.Participants[i]
		was := before[p.ID]
		ended := p.State == genesys.StateDisconnected && (was == nil || was.State != genesys.StateDisconnected)
		switch p.Purpose {
		case genesys.PurposeAgent:
			if was == nil && agentLast {
				out = append(out, agentSignal{kind: signalAgentTransfer, agent: agentName(p), queue: queueName(p.Queue), queueID: queueID(p.Queue)})
			}
			if !hasConnected(p) {
				continue // offered, never answered: routing goes on
			}
			agentLast = true
			if was == nil || !hasConnected(was) {
				out = append(out, agentSignal{kind: signalJoin, agent: agentName(p), queue: queueName(p.Queue), queueID: queueID(p.Queue)})
			}
			agentSeen = true
			if ended {
				switch {
				case strings.HasPrefix(p.DisconnectType, "transfer"):
				case genesysEnds[p.DisconnectType]:
					out = append(out, agentSignal{kind: signalExpired})
				default:
					out = append(out, agentSignal{kind: signalDisconnect})
				}
			}
		case genesys.PurposeACD:
			agentLast = false
			if was == nil && agentSeen {
				out = append(out, agentSignal{kind: signalTransfer, queue: queueName(p.Queue), queueID: queueID(p.Queue)})
			}
			if ended && !strings.HasPrefix(p.DisconnectType, "transfer") && !agentAfter(cur, i) {
				out = append(out, agentSignal{kind: signalExpired})
			}
		}
	}
	return out
}

// hasConnected reports whether a participant has been connected.
func hasConnected(p *genesys.MessageParticipant) bool {
	return p.State == genesys.StateConnected || p.ConnectedTime != ""
}

// agentAfter reports whether an agent participant follows index i.
func agentAfter(c *genesys.MessageConversation, i int) bool {
	for _, p := range c.Participants[i+1:] {
		if p.Purpose == genesys.PurposeAgent {
			return true
		}
	}
	return false
}

func agentName(p *genesys.MessageParticipant) string {
	if p.Name != "" {
		return p.Name
	}
	if p.User != nil {
		return p.User.Name
	}
	return ""
}

func queueName(q *genesys.EntityRef) string {
	if q == nil {
		return ""
	}
	return q.Name
}

func queueID(q *genesys.EntityRef) string {
	if q == nil {
		return ""
	}
	return q.ID
}

// progress measures how far a conversation has gone: participants only
// join and their states only move forward (alerting, connected,
// disconnected), so a later snapshot never measures less.
func progress(c *genesys.MessageConversation) int {
	if c == nil {
		return -1
	}
	n := 0
	for _, p := range c.Participants {
		n++
		switch p.State {
		case genesys.StateAlerting:
			n++
		case genesys.StateConnected:
			n += 2
		case genesys.StateDisconnected:
			n += 3
		}
	}
	return n
}

// newer reports whether cur is a later snapshot than prev: snapshots from
// two sources (a topic, a read) may arrive out of order.
func newer(prev, cur *genesys.MessageConversation) bool { return progress(cur) > progress(prev) }

// connectedAgent returns the name of the agent who has the conversation.
func connectedAgent(c *genesys.MessageConversation) string {
	if c == nil {
		return ""
	}
	name := ""
	for i := range c.Participants {
		if p := &c.Participants[i]; p.Purpose == genesys.PurposeAgent && p.State == genesys.StateConnected {
			name = agentName(p)
		}
	}
	return name
}

// customerGone reports whether the conversation's customer participant has
// disconnected (the conversation is over for it).
func customerGone(c *genesys.MessageConversation) bool {
	if c == nil {
		return false
	}
	for _, p := range c.Participants {
		if p.Purpose == genesys.PurposeCustomer {
			return p.State == genesys.StateDisconnected
		}
	}
	return false
}
