package serve

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/simulate"
)

// saveTest writes the chat as a conversation test file (spec §6) in the
// test directory and returns its path. Inactivity happened in real time, so
// a wait of the flow's maxInactivity is written before that closure.
func (s *Server) saveTest(c *chat) (string, error) {
	dir := s.opts.TestDir
	if dir == "" {
		dir = filepath.Dir(s.opts.FlowPath)
	}
	c.mu.Lock()
	entries, lost := c.log.events(), c.log.lost
	c.mu.Unlock()
	if lost > 0 {
		return "", fmt.Errorf("the chat's first %d events are no longer kept (a chat keeps its last %d entries within %d KiB): too long for a test", lost, maxLogEntries, maxChatBytes>>10)
	}
	evs := make([]simulate.Event, len(entries))
	for i, e := range entries {
		evs[i] = e.ev
	}
	events := testEvents(evs, c.proj.MaxInactivity)
	stem := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(s.opts.FlowPath), ".yaml"), ".flow")
	rec := &simulate.Recording{
		Name:   fmt.Sprintf("chat %s on %s (flowctl serve)", c.id[:8], filepath.Base(s.opts.FlowPath)),
		Events: events,
	}
	rec.SetSource(dir, s.opts.FlowPath, s.opts.OrgPath, s.opts.Client)
	data := rec.Bytes()
	for n := 1; n < 1000; n++ {
		name := fmt.Sprintf("%s-%s.test.yaml", stem, c.id[:8])
		if n > 1 {
			name = fmt.Sprintf("%s-%s-%d.test.yaml", stem, c.id[:8], n)
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = f.Write(data)
		if err = errors.Join(err, f.Close()); err != nil {
			return "", err
		}
		s.logf("chat %s saved as %s", c.session, path)
		return path, nil
	}
	return "", errors.New("too many saved tests for this chat")
}

// testEvents prepares a chat's events for a recording: the real-time
// inactivity closure gets the wait that makes it happen in a test.
func testEvents(evs []simulate.Event, maxInactivity time.Duration) []simulate.Event {
	if maxInactivity <= 0 {
		maxInactivity = flow.DefaultMaxInactivity
	}
	out := make([]simulate.Event, 0, len(evs)+1)
	for _, ev := range evs {
		if ev.Kind == simulate.EventClosed && ev.Reason == flow.ReasonInactivity {
			out = append(out, simulate.Event{Kind: simulate.EventWait, Duration: maxInactivity})
		}
		out = append(out, ev)
	}
	return out
}
