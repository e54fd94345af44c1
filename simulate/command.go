package simulate

import (
	"fmt"
	"strings"
	"time"
)

// CommandKind is what one line of simulate input asks for.
type CommandKind string

// Command kinds.
const (
	CmdNone   CommandKind = ""       // an empty line
	CmdSay    CommandKind = "say"    // a user message
	CmdWait   CommandKind = "wait"   // /wait DURATION
	CmdAgent  CommandKind = "agent"  // /agent join|say TEXT|transfer QUEUE|transfer-to-agent NAME|close|timeout
	CmdMemory CommandKind = "memory" // /memory
	CmdState  CommandKind = "state"  // /state
	CmdHelp   CommandKind = "help"   // /help
	CmdQuit   CommandKind = "quit"   // /quit
)

// Command is one parsed line of simulate input.
type Command struct {
	Kind  CommandKind
	Text  string        // CmdSay
	Wait  time.Duration // CmdWait
	Agent AgentEvent    // CmdAgent
}

// CommandHelp describes the slash commands, one per line.
const CommandHelp = `/wait DURATION                 let virtual time pass (20m, 1h30m); due timers fire
/agent join                    an agent takes the chat from the queue
/agent say TEXT                the agent sends TEXT
/agent transfer QUEUE          the agent transfers the chat to another queue
/agent transfer-to-agent NAME  the agent transfers the chat to agent NAME (it waits until /agent join)
/agent close                   the agent closes the conversation (the bot resumes if the redirect says so)
/agent timeout                 Genesys closes the chat for inactivity (no resume)
/memory                        show the bot's memory
/state                         show who owns the chat, the block, the queue and the timer
/help                          show this help
/quit                          leave
Any other line is a message from the user; start it with // to send a text beginning with /.`

// ParseCommand parses one line: a slash command or a user message.
func ParseCommand(line string) (Command, error) {
	line = strings.TrimRight(line, "\r\n")
	trimmed := strings.TrimSpace(line)
	if trimmed == "" {
		return Command{Kind: CmdNone}, nil
	}
	if strings.HasPrefix(trimmed, "//") {
		return Command{Kind: CmdSay, Text: trimmed[1:]}, nil
	}
	if !strings.HasPrefix(trimmed, "/") {
		return Command{Kind: CmdSay, Text: trimmed}, nil
	}
	name, rest, _ := strings.Cut(trimmed[1:], " ")
	rest = strings.TrimSpace(rest)
	noArgs := func(k CommandKind) (Command, error) {
		if rest != "" {
			return Command{}, fmt.Errorf("/%s takes no argument", name)
		}
		return Command{Kind: k}, nil
	}
	switch name {
	case "wait":
		d, err := ParseWait(rest)
		if err != nil {
			return Command{}, fmt.Errorf("/wait: %v", err)
		}
		return Command{Kind: CmdWait, Wait: d}, nil
	case "agent":
		ev, err := ParseAgent(rest)
		if err != nil {
			return Command{}, fmt.Errorf("/agent: %v", err)
		}
		return Command{Kind: CmdAgent, Agent: ev}, nil
	case "memory":
		return noArgs(CmdMemory)
	case "state":
		return noArgs(CmdState)
	case "help":
		return noArgs(CmdHelp)
	case "quit", "exit":
		return noArgs(CmdQuit)
	}
	return Command{}, fmt.Errorf("unknown command /%s (type /help for the list)", name)
}

// ParseWait parses a positive Go duration such as 20m or 1h30m.
func ParseWait(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("missing duration (e.g. 20m, 1h30m)")
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("bad duration %q: want a Go duration such as 20m, 90s or 1h30m", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("bad duration %q: must be positive", s)
	}
	return d, nil
}

// ParseAgent parses the argument of /agent: join, say TEXT, transfer QUEUE,
// transfer-to-agent NAME, close or timeout. The queue and agent names are
// kept exactly, inner spaces included.
func ParseAgent(s string) (AgentEvent, error) {
	action, arg, _ := strings.Cut(strings.TrimSpace(s), " ")
	arg = strings.TrimSpace(arg)
	switch AgentAction(action) {
	case AgentJoin, AgentClose, AgentTimeout:
		if arg != "" {
			return AgentEvent{}, fmt.Errorf("%s takes no argument", action)
		}
		return AgentEvent{Action: AgentAction(action)}, nil
	case AgentSay:
		if arg == "" {
			return AgentEvent{}, fmt.Errorf("say needs a text: /agent say Hello")
		}
		return AgentEvent{Action: AgentSay, Text: arg}, nil
	case AgentTransfer:
		if arg == "" {
			return AgentEvent{}, fmt.Errorf("transfer needs a queue name: /agent transfer Support EN")
		}
		return AgentEvent{Action: AgentTransfer, Queue: arg}, nil
	case AgentTransferToAgent:
		if arg == "" {
			return AgentEvent{}, fmt.Errorf("transfer-to-agent needs the agent's name: /agent transfer-to-agent Bob")
		}
		return AgentEvent{Action: AgentTransferToAgent, Agent: arg}, nil
	case "":
		return AgentEvent{}, fmt.Errorf("missing action: %s", agentActions)
	}
	return AgentEvent{}, fmt.Errorf("unknown action %q: want %s", action, agentActions)
}

// agentActions lists what /agent takes, for messages.
const agentActions = "join, say TEXT, transfer QUEUE, transfer-to-agent NAME, close or timeout"
