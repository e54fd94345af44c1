package simulate

import "time"

// Owner is who holds the conversation (spec §5).
type Owner string

// Owner states.
const (
	OwnerBot    Owner = "bot"
	OwnerQueued Owner = "queued" // handed over, waiting for an agent
	OwnerAgent  Owner = "agent"
	OwnerClosed Owner = "closed"
)

// EventKind says what happened.
type EventKind string

// Event kinds, in the words of the transcript.
const (
	EventBot            EventKind = "bot"             // the bot sends Text
	EventUser           EventKind = "user"            // the user sends Text (ToGenesys when it goes to Genesys)
	EventCommand        EventKind = "command"         // a block ran command Name (Text summarises the value)
	EventFlow           EventKind = "flow"            // a transfer block moved to flow Flow
	EventHandover       EventKind = "handover"        // the chat went to Queue with Attributes
	EventHandoverFailed EventKind = "handover-failed" // the handover to Queue failed; Reason says why
	EventAgentJoin      EventKind = "agent-join"      // an agent took the chat from Queue
	EventDelivered      EventKind = "delivered"       // a user message (Text) reached the agent
	EventAgent          EventKind = "agent"           // the agent sends Text
	EventTransfer       EventKind = "transfer"        // the agent transferred the chat to Queue
	EventAgentTransfer  EventKind = "agent-transfer"  // the agent transferred the chat to another agent (Agent); it waits for them in Queue
	EventAgentClose     EventKind = "agent-close"     // the agent closed the conversation
	EventResume         EventKind = "resume"          // the bot owns the chat again, at Block
	EventWait           EventKind = "wait"            // virtual time passed (Duration)
	EventClosed         EventKind = "closed"          // the session closed with Reason
	EventError          EventKind = "error"           // a run-time problem in the flow (Text), the session goes on
)

// Event is one entry of a conversation's transcript.
type Event struct {
	Seq  int       // 1, 2, ... in the order events happened
	At   time.Time // the session clock's time
	Kind EventKind

	Text         string
	QuickReplies []string    // EventBot
	ToGenesys    bool        // EventUser
	Name         string      // EventCommand: the command name
	Flow         string      // EventFlow: the flow entered
	Queue        string      // handover, handover-failed, agent-join, transfer, agent-transfer
	Agent        string      // agent-transfer: the agent it goes to; agent-join: that agent joining
	Attributes   []Attribute // EventHandover: every attribute accumulated so far
	Reason       string      // EventClosed: closure reason; EventHandoverFailed: why
	Block        string      // key of the block involved (flow/block)
	Duration     time.Duration
}

// Attribute is one external session attribute (SetExternalSessionAttributes).
type Attribute struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// AgentAction is something the Genesys side does.
type AgentAction string

// Agent actions (spec §5.6).
const (
	AgentJoin     AgentAction = "join"
	AgentSay      AgentAction = "say"
	AgentTransfer AgentAction = "transfer"
	// AgentTransferToAgent is a transfer from the agent to another agent
	// (Genesys's blind transfer to a user). The chat stays with Genesys: it
	// waits (owner queued, in the same queue) until that agent joins, and
	// the user's messages wait with it.
	AgentTransferToAgent AgentAction = "transfer-to-agent"
	AgentClose           AgentAction = "close"
	AgentTimeout         AgentAction = "timeout"
)

// AgentEvent is one action of the agent or of Genesys.
type AgentEvent struct {
	Action AgentAction
	Text   string // AgentSay
	Queue  string // AgentTransfer
	Agent  string // AgentTransferToAgent: the agent's name
}

// String renders the event as its slash command argument.
func (e AgentEvent) String() string {
	switch e.Action {
	case AgentSay:
		return "say " + e.Text
	case AgentTransfer:
		return "transfer " + e.Queue
	case AgentTransferToAgent:
		return "transfer-to-agent " + e.Agent
	}
	return string(e.Action)
}
