package simulate

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Recording is a session written down as a test file (spec §6): every bot
// message (with its quick replies), user message, run-time error, handover
// (with all its attributes) and failed handover, agent event (transfers to
// a queue or to an agent included), wait and the closure, so that running
// it passes.
type Recording struct {
	Name string
	Flow string // relative to the test file, with forward slashes
	Org  string // "" when none
	// Client is the org file's OAuth client the session used; "" when
	// none was chosen.
	Client string
	// Events is the session's transcript, in order.
	Events []Event

	flowFile string // the flow's path as the session loaded it
}

// SetSource sets Flow and Org (when orgPath is not "") to the files'
// paths relative to dir, the test file's directory, with forward slashes
// (absolute when no relative path exists), and Client to the org file's
// OAuth client the session used (kept only with an org file). flowPath is
// the path the session loaded the flow from, as its run-time errors name
// it. Every writer of recordings (simulate --record, serve's "save as
// test") calls it, so that a recording names what the session ran on.
func (r *Recording) SetSource(dir, flowPath, orgPath, client string) {
	r.flowFile = flowPath
	r.Flow = relPath(dir, flowPath)
	r.Org, r.Client = "", ""
	if orgPath != "" {
		r.Org = relPath(dir, orgPath)
		r.Client = client
	}
}

func relPath(dir, target string) string {
	abs, err1 := filepath.Abs(target)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return filepath.ToSlash(target)
	}
	r, err := filepath.Rel(d, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(r)
}

// Bytes renders the recording as YAML.
func (r *Recording) Bytes() []byte {
	var b bytes.Buffer
	b.WriteString("# yaml-language-server: $schema=https://flowctl.dev/schemas/test.schema.json\n")
	fmt.Fprintf(&b, "name: %s\nflow: %s\n", q(r.Name), q(r.Flow))
	if r.Org != "" {
		fmt.Fprintf(&b, "org: %s\n", q(r.Org))
		if r.Client != "" {
			fmt.Fprintf(&b, "client: %s\n", q(r.Client))
		}
	}
	b.WriteString("steps:\n")
	n := 0
	step := func(format string, a ...any) {
		n++
		fmt.Fprintf(&b, "  - "+format+"\n", a...)
	}
	for _, e := range r.Events {
		switch e.Kind {
		case EventBot:
			if len(e.QuickReplies) == 0 {
				step("bot: %s", q(e.Text))
				continue
			}
			replies := make([]string, len(e.QuickReplies))
			for i, r := range e.QuickReplies {
				replies[i] = q(r)
			}
			step("bot: { text: %s, quickReplies: [%s] }", q(e.Text), strings.Join(replies, ", "))
		case EventError:
			step("error: %s", q(strings.TrimPrefix(e.Text, r.flowFile+":")))
		case EventUser:
			step("user: %s", q(e.Text))
		case EventHandover:
			if len(e.Attributes) == 0 {
				step("handover: { queue: %s }", q(e.Queue))
				continue
			}
			var attrs bytes.Buffer
			for i, a := range e.Attributes {
				if i > 0 {
					attrs.WriteString(", ")
				}
				fmt.Fprintf(&attrs, "%s: %s", q(a.Key), q(a.Value))
			}
			step("handover: { queue: %s, attributes: { %s } }", q(e.Queue), attrs.String())
		case EventHandoverFailed:
			step("handover: { queue: %s, failed: true }", q(e.Queue))
		case EventAgentJoin:
			step("agent: join")
		case EventAgent:
			step("agent: { say: %s }", q(e.Text))
		case EventTransfer:
			step("agent: { transfer: %s }", q(e.Queue))
		case EventAgentTransfer:
			step("agent: { transferToAgent: %s }", q(e.Agent))
		case EventAgentClose:
			step("agent: close")
		case EventWait:
			step("wait: %s", FormatDuration(e.Duration))
		case EventClosed:
			if e.Reason == "genesys-timeout" {
				step("agent: timeout")
			}
			step("closed: %s", e.Reason)
		}
	}
	if n == 0 {
		b.Truncate(b.Len() - len("steps:\n"))
		b.WriteString("steps: []\n")
	}
	return b.Bytes()
}

// q quotes a string for YAML (double-quoted style accepts Go's escapes).
func q(s string) string { return strconv.Quote(s) }
