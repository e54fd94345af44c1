package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/flowctl/flowctl/simulate"
)

// transcriptFlushEvery is how often buffered transcript lines reach disk.
const transcriptFlushEvery = 500 * time.Millisecond

// TranscriptLine is one JSON line of a transcript: an engine event of a chat
// (spec §5), or a bridge note (kind "note").
type TranscriptLine struct {
	Chat         string            `json:"chat"`
	Seq          int               `json:"seq,omitempty"`
	At           time.Time         `json:"at"`
	Kind         string            `json:"kind"`
	Text         string            `json:"text,omitempty"`
	Queue        string            `json:"queue,omitempty"`
	Attributes   map[string]string `json:"attributes,omitempty"`
	Reason       string            `json:"reason,omitempty"`
	Block        string            `json:"block,omitempty"`
	ToGenesys    bool              `json:"toGenesys,omitempty"`
	GenesysError string            `json:"genesysError,omitempty"`
}

// lineOf converts an engine event.
func lineOf(chatID string, ev simulate.Event, genesysErr string) TranscriptLine {
	l := TranscriptLine{
		Chat: chatID, Seq: ev.Seq, At: ev.At, Kind: string(ev.Kind), Text: ev.Text, Queue: ev.Queue,
		Reason: ev.Reason, Block: ev.Block, ToGenesys: ev.ToGenesys,
	}
	if ev.Kind == simulate.EventCommand {
		l.Text = ev.Name + " " + ev.Text
	}
	if len(ev.Attributes) > 0 {
		l.Attributes = map[string]string{}
		for _, a := range ev.Attributes {
			l.Attributes[a.Key] = a.Value
		}
	}
	if ev.Kind == simulate.EventHandoverFailed {
		l.GenesysError = genesysErr
	}
	return l
}

// transcript records an engine event of a chat (called with the chat
// locked).
func (s *Server) transcript(chatID string, ev simulate.Event, genesysErr string) {
	if s.transcripts != nil {
		s.transcripts.add(chatID, lineOf(chatID, ev, genesysErr))
	}
}

// transcriptNote records a bridge note.
func (s *Server) transcriptNote(chatID, text string) {
	if s.transcripts != nil {
		s.transcripts.add(chatID, TranscriptLine{Chat: chatID, At: time.Now(), Kind: "note", Text: text})
	}
}

// transcriptWriter appends transcript lines to DIR/CHAT.jsonl. Lines are
// buffered and written every transcriptFlushEvery and on close; no file
// stays open between writes. A line added after close is written at once.
type transcriptWriter struct {
	dir    string
	mu     sync.Mutex
	buf    map[string]*bytes.Buffer
	closed bool
	stop   chan struct{}
	done   chan struct{}
	errMu  sync.Mutex
	err    error // the first write error
}

func newTranscriptWriter(dir string) (*transcriptWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	tw := &transcriptWriter{dir: dir, buf: map[string]*bytes.Buffer{}, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(tw.done)
		t := time.NewTicker(transcriptFlushEvery)
		defer t.Stop()
		for {
			select {
			case <-tw.stop:
				return
			case <-t.C:
				tw.flush()
			}
		}
	}()
	return tw, nil
}

func (tw *transcriptWriter) add(chatID string, l TranscriptLine) {
	data, err := json.Marshal(l)
	if err != nil {
		return
	}
	data = append(data, '\n')
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.closed {
		// No flush comes any more: write it now, not into a lost buffer.
		tw.write(chatID, data)
		return
	}
	b := tw.buf[chatID]
	if b == nil {
		b = &bytes.Buffer{}
		tw.buf[chatID] = b
	}
	b.Write(data)
}

// flush writes the buffered lines; it returns the first error met so far.
func (tw *transcriptWriter) flush() error {
	tw.mu.Lock()
	pending := tw.buf
	tw.buf = map[string]*bytes.Buffer{}
	tw.mu.Unlock()
	for id, b := range pending {
		tw.write(id, b.Bytes())
	}
	tw.errMu.Lock()
	defer tw.errMu.Unlock()
	return tw.err
}

// write appends data to the chat's file, keeping the first error.
func (tw *transcriptWriter) write(chatID string, data []byte) {
	f, err := os.OpenFile(filepath.Join(tw.dir, chatID+".jsonl"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err == nil {
		_, err = f.Write(data)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		tw.errMu.Lock()
		if tw.err == nil {
			tw.err = err
		}
		tw.errMu.Unlock()
	}
}

// close stops the periodic flush and writes what is left; lines added
// later are written one by one.
func (tw *transcriptWriter) close() error {
	close(tw.stop)
	<-tw.done
	tw.mu.Lock()
	tw.closed = true
	// Under the lock: a line added meanwhile waits, and lands after these.
	for id, b := range tw.buf {
		tw.write(id, b.Bytes())
	}
	tw.buf = nil
	tw.mu.Unlock()
	tw.errMu.Lock()
	defer tw.errMu.Unlock()
	return tw.err
}
