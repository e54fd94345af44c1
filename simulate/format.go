package simulate

import (
	"fmt"
	"strings"
	"time"
)

// Speaker is who an event's transcript line belongs to: "bot", "user",
// "agent", or "*" for system events.
func (e Event) Speaker() string {
	switch e.Kind {
	case EventBot, EventUser, EventAgent:
		return string(e.Kind)
	}
	return "*"
}

// Line is the event's transcript line without the speaker.
func (e Event) Line() string {
	switch e.Kind {
	case EventBot:
		if len(e.QuickReplies) > 0 {
			return e.Text + "  [" + strings.Join(e.QuickReplies, " | ") + "]"
		}
		return e.Text
	case EventUser:
		if e.ToGenesys {
			return e.Text + "  (to Genesys)"
		}
		return e.Text
	case EventAgent:
		return e.Text
	case EventCommand:
		if e.Text == "" {
			return "command " + e.Name
		}
		return "command " + e.Name + " " + e.Text
	case EventFlow:
		return fmt.Sprintf("transfer to flow %q", e.Flow)
	case EventHandover:
		return fmt.Sprintf("handover to queue %q%s; waiting for an agent", e.Queue, FormatAttributes(e.Attributes))
	case EventHandoverFailed:
		return fmt.Sprintf("handover to queue %q failed: %s", e.Queue, e.Reason)
	case EventAgentJoin:
		if e.Agent != "" {
			return fmt.Sprintf("agent %q joined from queue %q", e.Agent, e.Queue)
		}
		return fmt.Sprintf("agent joined from queue %q", e.Queue)
	case EventDelivered:
		return fmt.Sprintf("agent received %q", e.Text)
	case EventTransfer:
		return fmt.Sprintf("agent transferred the chat to queue %q; waiting for an agent", e.Queue)
	case EventAgentTransfer:
		return fmt.Sprintf("agent transferred the chat to agent %q; waiting for them to join", e.Agent)
	case EventAgentClose:
		return "agent closed the conversation"
	case EventResume:
		return "bot resumes at " + e.Block
	case EventWait:
		return FormatDuration(e.Duration) + " pass"
	case EventClosed:
		return "session closed: " + e.Reason
	case EventError:
		return "error: " + e.Text
	}
	return string(e.Kind)
}

// String is the event's plain transcript line: "bot: Hi!" or, for system
// events, "* handover to queue ...".
func (e Event) String() string {
	if sp := e.Speaker(); sp != "*" {
		return sp + ": " + e.Line()
	}
	return "* " + e.Line()
}

// FormatAttributes renders attributes as ` with key="value", ...`, or ""
// when there are none.
func FormatAttributes(as []Attribute) string {
	if len(as) == 0 {
		return ""
	}
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = fmt.Sprintf("%s=%q", a.Key, a.Value)
	}
	return " with " + strings.Join(parts, ", ")
}

// FormatDuration writes d the way a test file would: 20m, 1h30m, 45s.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
