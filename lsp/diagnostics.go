package lsp

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys/org"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// diagnoser publishes diagnostics in the background: an edit marks its
// document, and once no edit came for the debounce time every marked
// document is analysed (its latest text only) and published. One
// document's failure never touches another's diagnostics.
type diagnoser struct {
	s    *Server
	wake chan struct{}
	// flushing is held while documents are analysed and published, so
	// that a flush (shutdown's) returns only after one in progress.
	flushing sync.Mutex

	mu     sync.Mutex
	dirty  map[protocol.DocumentUri]bool
	fetch  map[protocol.DocumentUri]bool // online facts to fetch first
	extern map[protocol.DocumentUri]bool // config and org files with diagnostics published
}

func newDiagnoser(s *Server) *diagnoser {
	return &diagnoser{s: s, wake: make(chan struct{}, 1), dirty: map[protocol.DocumentUri]bool{}, fetch: map[protocol.DocumentUri]bool{}, extern: map[protocol.DocumentUri]bool{}}
}

// mark schedules a document's diagnostics.
func (g *diagnoser) mark(uri protocol.DocumentUri) {
	g.mu.Lock()
	g.dirty[uri] = true
	g.mu.Unlock()
	select {
	case g.wake <- struct{}{}:
	default:
	}
}

// online schedules an online queue lookup before the document's next
// diagnostics (a no-op unless its config asks for online checks).
func (g *diagnoser) online(uri protocol.DocumentUri) {
	g.mu.Lock()
	g.fetch[uri] = true
	g.mu.Unlock()
}

// all schedules every open document.
func (g *diagnoser) all() {
	g.s.mu.Lock()
	uris := make([]protocol.DocumentUri, 0, len(g.s.docs))
	for u := range g.s.docs {
		uris = append(uris, u)
	}
	g.s.mu.Unlock()
	for _, u := range uris {
		g.mark(u)
	}
}

// run is the background loop; it ends with ctx.
func (g *diagnoser) run(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-g.wake:
		}
		// Debounce: wait until edits pause.
		for quiet := false; !quiet; {
			timer.Reset(g.s.opts.Debounce)
			select {
			case <-ctx.Done():
				return
			case <-g.wake:
				if !timer.Stop() {
					<-timer.C
				}
			case <-timer.C:
				quiet = true
			}
		}
		g.flush()
	}
}

// flush analyses and publishes every marked document now.
func (g *diagnoser) flush() {
	g.flushing.Lock()
	defer g.flushing.Unlock()
	g.mu.Lock()
	uris := make([]protocol.DocumentUri, 0, len(g.dirty))
	for u := range g.dirty {
		uris = append(uris, u)
	}
	clear(g.dirty)
	fetch := g.fetch
	g.fetch = map[protocol.DocumentUri]bool{}
	g.mu.Unlock()
	slices.Sort(uris)
	for _, u := range uris {
		g.publishSafe(u, fetch[u])
	}
}

// publishSafe analyses and publishes one document; a panic is logged and
// leaves the document's previous diagnostics in place.
func (g *diagnoser) publishSafe(uri protocol.DocumentUri, fetch bool) {
	defer func() {
		if v := recover(); v != nil {
			g.s.logf("panic while checking %s: %v\n%s", uri, v, debug.Stack())
			g.s.notifyLog(protocol.MessageTypeError, fmt.Sprintf("flowctl lsp: internal error while checking %s: %v (please report it)", uri, v))
		}
	}()
	if fetch {
		g.fetchOnline(uri)
	}
	d, an := g.s.doc(uri)
	if d == nil {
		return // closed meanwhile
	}
	g.s.notify(string(protocol.ServerTextDocumentPublishDiagnostics), protocol.PublishDiagnosticsParams{
		URI: uri, Version: ptr(protocol.UInteger(an.version)), Diagnostics: an.diagnostics(),
	})
	if an.st != nil {
		g.external(an.st)
	}
}

// fetchOnline looks up a flow's queues online (config online: true).
func (g *diagnoser) fetchOnline(uri protocol.DocumentUri) {
	d, an := g.s.doc(uri)
	if d == nil || an.project == nil {
		return
	}
	if g.s.ws.fetchOnline(d.path, flow.QueueNames(an.project)) {
		// Analysed without the facts: analyse again.
		g.s.mu.Lock()
		d.an = nil
		g.s.mu.Unlock()
	}
}

// external publishes the problems of the config and org files a document
// is checked with, so a bad config shows where it is even when it is not
// open; an open config document publishes its own.
func (g *diagnoser) external(st *settings) {
	if st.file != "" {
		if _, open := g.s.openText(st.file); !open {
			g.publishFile(st.file, slices.Concat(st.findings, st.orgFindings))
		}
	}
	if st.orgFile != "" && st.queues != nil {
		var fs []flow.Finding
		var oe *org.Error
		if errors.As(st.queues.err, &oe) {
			for _, p := range oe.Problems {
				fs = append(fs, flow.Finding{File: st.orgFile, Line: p.Line, Column: p.Col, Severity: flow.SeverityError, Rule: flow.RuleSchema, Message: p.Message})
			}
		}
		g.publishFile(st.orgFile, fs)
	}
}

// publishFile publishes findings of a file that is not an open document,
// once there are any and again when they are gone.
func (g *diagnoser) publishFile(path string, fs []flow.Finding) {
	uri := pathURI(path)
	g.mu.Lock()
	had := g.extern[uri]
	g.extern[uri] = len(fs) > 0
	g.mu.Unlock()
	if !had && len(fs) == 0 {
		return
	}
	src, err := g.s.readFile(path)
	if err != nil {
		src = ""
	}
	t := newText(src)
	diags := []protocol.Diagnostic{}
	for _, f := range fs {
		diags = append(diags, diagnostic(t, f))
	}
	g.s.notify(string(protocol.ServerTextDocumentPublishDiagnostics), protocol.PublishDiagnosticsParams{URI: uri, Diagnostics: diags})
}

// diagnostics converts an analysis' findings (never nil: an empty list
// clears the client's).
func (an *analysis) diagnostics() []protocol.Diagnostic {
	fs := an.findings
	if an.kind == kindTest {
		fs = an.problems
	}
	out := make([]protocol.Diagnostic, 0, len(fs))
	for _, f := range fs {
		out = append(out, diagnostic(an.text, f))
	}
	return out
}

// diagnostic converts a finding: its position, exactly, to the end of the
// token written there.
func diagnostic(t *text, f flow.Finding) protocol.Diagnostic {
	sev := protocol.DiagnosticSeverityError
	if f.Severity == flow.SeverityWarning {
		sev = protocol.DiagnosticSeverityWarning
	}
	start := t.offsetOf(flow.Pos{Line: f.Line, Col: f.Column})
	tok := tokenAt(t, start)
	return protocol.Diagnostic{
		Range:    t.span(start, tok.end),
		Severity: &sev,
		Code:     &protocol.IntegerOrString{Value: f.Rule},
		Source:   ptr(Name),
		Message:  f.Message,
	}
}
