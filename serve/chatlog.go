package serve

import (
	"fmt"
	"time"

	"github.com/flowctl/flowctl/simulate"
)

// Bounds of one chat's log.
const (
	// maxChatBytes bounds the text a chat's log keeps (its entries counted
	// at entryOverhead plus their strings); beyond it, or beyond
	// maxLogEntries, the oldest entries are dropped, a tenth at once.
	maxChatBytes  = 256 << 10
	maxLogEntries = 2000
	entryOverhead = 256
	// maxHistory bounds the entries a page that attaches gets.
	maxHistory = 1000
	// historyChunk and historyChunkBytes bound one history message: its
	// entries and their text (one entry alone may exceed it).
	historyChunk      = 100
	historyChunkBytes = 64 << 10
)

// kindNote marks a bridge note (not an engine event) in a chat's log.
const kindNote simulate.EventKind = "note"

// logEntry is one entry of a chat's log, stored once: an engine event or a
// bridge note. What pages show, the JSON lines served and the saved test
// are derived from it when asked.
type logEntry struct {
	ev         simulate.Event
	seq        int      // its number on the pages; 0 when pages do not show it
	name       string   // the agent's name (agent, agent-join)
	replies    []string // agent: its quick replies
	genesysErr string   // handover-failed: the Genesys error
}

func (e *logEntry) size() int {
	ev := &e.ev
	n := entryOverhead + len(ev.Text) + len(ev.Name) + len(ev.Flow) + len(ev.Queue) + len(ev.Reason) + len(ev.Block) + len(e.name) + len(e.genesysErr)
	for _, q := range ev.QuickReplies {
		n += len(q) + 16
	}
	for _, q := range e.replies {
		n += len(q) + 16
	}
	for _, a := range ev.Attributes {
		n += len(a.Key) + len(a.Value) + 32
	}
	return n
}

// wire is the entry as pages show it; false for events pages do not show
// (delivery receipts, virtual waits).
func (e *logEntry) wire() (wireEvent, bool) {
	ev := &e.ev
	we := wireEvent{Type: "event", Seq: e.seq, At: ev.At, Kind: string(ev.Kind), Role: roleSystem, Text: ev.Line()}
	switch ev.Kind {
	case kindNote:
		we.Text = ev.Text
	case simulate.EventBot:
		we.Role, we.Text, we.QuickReplies = roleBot, ev.Text, ev.QuickReplies
	case simulate.EventUser:
		we.Role, we.Text = roleUser, ev.Text
	case simulate.EventAgent:
		we.Role, we.Text, we.Name, we.QuickReplies = roleAgent, ev.Text, e.name, e.replies
	case simulate.EventAgentJoin:
		if e.name != "" {
			we.Text = fmt.Sprintf("%s joined from queue %q", e.name, ev.Queue)
			we.Name = e.name
		}
	case simulate.EventHandoverFailed:
		if e.genesysErr != "" {
			we.Text = fmt.Sprintf("handover to queue %q failed: %s", ev.Queue, e.genesysErr)
		}
	case simulate.EventDelivered, simulate.EventWait:
		return wireEvent{}, false
	}
	return we, true
}

// chatLog is a chat's log within its bounds (not safe for concurrent use:
// the chat's lock guards it).
type chatLog struct {
	entries []logEntry
	bytes   int
	seq     int // the last page entry's number
	shown   int // page entries kept
	lost    int // engine events no longer kept
}

// add appends e, numbering it when pages show it, drops the oldest entries
// beyond the bounds, and returns e as pages show it.
func (l *chatLog) add(e logEntry) (wireEvent, bool) {
	e.seq = 0
	if _, ok := e.wire(); ok {
		l.seq++
		e.seq = l.seq
		l.shown++
	}
	l.entries = append(l.entries, e)
	l.bytes += e.size()
	if len(l.entries) > maxLogEntries || l.bytes > maxChatBytes {
		l.trim()
	}
	return e.wire()
}

// trim drops the oldest entries until the log is within nine tenths of its
// bounds.
func (l *chatLog) trim() {
	cut := 0
	for cut < len(l.entries)-1 && (len(l.entries)-cut > maxLogEntries*9/10 || l.bytes > maxChatBytes*9/10) {
		e := &l.entries[cut]
		l.bytes -= e.size()
		if e.seq > 0 {
			l.shown--
		}
		if e.ev.Kind != kindNote {
			l.lost++
		}
		cut++
	}
	// A fresh array: the dropped entries' strings are freed.
	l.entries = append(make([]logEntry, 0, len(l.entries)-cut+maxLogEntries/10), l.entries[cut:]...)
}

// page returns the entries pages show, at most maxHistory, and how many
// earlier ones are no longer kept.
func (l *chatLog) page() (evs []wireEvent, dropped int) {
	n := min(l.shown, maxHistory)
	evs = make([]wireEvent, 0, n)
	for i := len(l.entries) - 1; i >= 0 && len(evs) < n; i-- {
		if we, ok := l.entries[i].wire(); ok {
			evs = append(evs, we)
		}
	}
	for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
		evs[i], evs[j] = evs[j], evs[i]
	}
	return evs, l.seq - len(evs)
}

// events returns the engine events kept, with their entries' extras.
func (l *chatLog) events() []logEntry {
	out := make([]logEntry, 0, len(l.entries))
	for _, e := range l.entries {
		if e.ev.Kind != kindNote {
			out = append(out, e)
		}
	}
	return out
}

// noteEntry is a bridge note at now.
func noteEntry(text string, now time.Time) logEntry {
	return logEntry{ev: simulate.Event{Kind: kindNote, Text: text, At: now}}
}
