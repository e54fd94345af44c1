package serve

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/words"
	"github.com/fsnotify/fsnotify"
)

// reloadDelay gathers the bursts of events one save makes.
const reloadDelay = 150 * time.Millisecond

// FlowStatus is what the pages show about the flow file.
type FlowStatus struct {
	File    string `json:"file"`    // base name
	Name    string `json:"name"`    // the project's name (last valid load)
	Version int    `json:"version"` // 1, 2, ... for each valid load
	OK      bool   `json:"ok"`      // the file as it is now is valid
	// Findings are the errors of the file as it is now.
	Findings []flow.Finding `json:"findings"`
	// Error says the file cannot be read.
	Error  string    `json:"error,omitempty"`
	Loaded time.Time `json:"loaded"`
	// Missing are Redirect queues the emulated org lacks.
	Missing []string `json:"missing,omitempty"`
}

// flowWatch holds the flow file's last valid project and its status, and
// reloads it when the file changes.
type flowWatch struct {
	path     string
	onChange func(FlowStatus)

	mu     sync.RWMutex
	cur    *flow.Project // last valid project; nil if never valid
	status FlowStatus
	src    []byte // bytes of the last load

	w        *fsnotify.Watcher // guarded by mu
	stopPoll chan struct{}     // closes the polling loop, when polling
	done     chan struct{}
	closed   bool
}

// newFlowWatch loads the flow; a file that cannot be read is an error.
func newFlowWatch(path string) (*flowWatch, error) {
	fw := &flowWatch{path: path, status: FlowStatus{File: filepath.Base(path)}}
	p, err := flow.Load(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, flow.PathErrorCause(err))
	}
	fw.apply(p)
	return fw, nil
}

// project returns the last valid project (nil if none).
func (fw *flowWatch) project() *flow.Project {
	fw.mu.RLock()
	defer fw.mu.RUnlock()
	return fw.cur
}

// current returns the last valid project with its version, and the status.
func (fw *flowWatch) current() (*flow.Project, FlowStatus) {
	fw.mu.RLock()
	defer fw.mu.RUnlock()
	return fw.cur, fw.status
}

// apply takes a freshly loaded project; it reports whether anything changed.
func (fw *flowWatch) apply(p *flow.Project) bool {
	var errs []flow.Finding
	for _, f := range flow.Validate(p, flow.Options{}) {
		if f.Severity == flow.SeverityError {
			errs = append(errs, f)
		}
	}
	fw.mu.Lock()
	defer fw.mu.Unlock()
	if fw.src != nil && bytes.Equal(fw.src, p.Source) && fw.status.Error == "" {
		return false
	}
	fw.src = p.Source
	st := FlowStatus{File: filepath.Base(fw.path), Name: fw.status.Name, Version: fw.status.Version, Findings: errs, Loaded: time.Now()}
	if len(errs) == 0 {
		fw.cur = p
		st.OK = true
		st.Version++
		st.Name = p.Name
	}
	fw.status = st
	return true
}

// reload reads the file again; a file that cannot be read keeps the last
// project and says so.
func (fw *flowWatch) reload() (FlowStatus, bool) {
	p, err := flow.Load(fw.path)
	if err != nil {
		fw.mu.Lock()
		defer fw.mu.Unlock()
		fw.src = nil
		fw.status.OK = false
		fw.status.Findings = nil
		fw.status.Error = fmt.Sprintf("cannot read %s: %v", fw.status.File, flow.PathErrorCause(err))
		fw.status.Loaded = time.Now()
		return fw.status, true
	}
	changed := fw.apply(p)
	_, st := fw.current()
	return st, changed
}

// pollInterval is how often the file is checked when the system cannot
// notify changes (no inotify instance left, some network file systems).
const pollInterval = 500 * time.Millisecond

// watch reloads the file whenever it changes until ctx ends. It watches the
// directory, since editors often save by renaming a new file over the old.
// When file notifications are not available it polls the file instead.
func (fw *flowWatch) watch(ctx context.Context, logf func(string, ...any)) error {
	fw.mu.Lock()
	if fw.closed {
		fw.mu.Unlock()
		return nil
	}
	done := make(chan struct{})
	fw.done = done
	fw.mu.Unlock()
	w, err := fsnotify.NewWatcher()
	if err == nil {
		if err = w.Add(filepath.Dir(fw.path)); err != nil {
			w.Close()
		}
	}
	if err != nil {
		logf("watching %s: %v; checking it every %s instead", fw.path, err, pollInterval)
		stop := make(chan struct{})
		fw.mu.Lock()
		if fw.closed {
			fw.mu.Unlock()
			close(done)
			return nil
		}
		fw.stopPoll = stop
		fw.mu.Unlock()
		last, _ := os.Stat(fw.path)
		go fw.poll(ctx, last, stop, done, logf)
		return nil
	}
	fw.mu.Lock()
	if fw.closed {
		fw.mu.Unlock()
		w.Close()
		close(done)
		return nil
	}
	fw.w = w
	fw.mu.Unlock()
	base := filepath.Base(fw.path)
	go func() {
		defer close(done)
		var timer *time.Timer
		var fire <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if filepath.Base(ev.Name) != base || ev.Op == fsnotify.Chmod {
					continue
				}
				if timer == nil {
					timer = time.NewTimer(reloadDelay)
				} else {
					timer.Reset(reloadDelay)
				}
				fire = timer.C
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				logf("watching %s: %v", fw.path, err)
			case <-fire:
				fire = nil
				fw.reloadAndTell(logf)
			}
		}
	}()
	return nil
}

// poll reloads the file when its size, modification time or identity
// differ from last, until ctx ends or stop is closed.
func (fw *flowWatch) poll(ctx context.Context, last fs.FileInfo, stop, done chan struct{}, logf func(string, ...any)) {
	defer close(done)
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case <-t.C:
			st, err := os.Stat(fw.path)
			if sameFile(last, st) && err == nil {
				continue
			}
			last = st
			fw.reloadAndTell(logf)
		}
	}
}

func sameFile(a, b fs.FileInfo) bool {
	if a == nil || b == nil {
		return a == b
	}
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// reloadAndTell reloads the file and, when anything changed, logs it and
// tells the pages.
func (fw *flowWatch) reloadAndTell(logf func(string, ...any)) {
	st, changed := fw.reload()
	if !changed {
		return
	}
	switch {
	case st.Error != "":
		logf("%s", st.Error)
	case !st.OK:
		logf("%s has %s; still serving version %d", fw.path, words.Plural(len(st.Findings), "finding"), st.Version)
	default:
		logf("reloaded %s (version %d)", fw.path, st.Version)
	}
	if fw.onChange != nil {
		fw.onChange(st)
	}
}

func (fw *flowWatch) close() {
	fw.mu.Lock()
	fw.closed = true
	w, stop, done := fw.w, fw.stopPoll, fw.done
	fw.w, fw.stopPoll = nil, nil
	fw.mu.Unlock()
	switch {
	case w != nil:
		w.Close()
	case stop != nil:
		close(stop)
	}
	if done != nil && (w != nil || stop != nil) {
		<-done
	}
}
