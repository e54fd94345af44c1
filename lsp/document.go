package lsp

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/flowctl/flowctl/config"
	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/simulate"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// fileKind is what the server knows a document to be, by its name.
type fileKind int

const (
	kindOther fileKind = iota
	kindFlow
	kindTest
	kindConfig
)

func kindOf(path string) fileKind {
	base := filepath.Base(path)
	switch {
	case strings.HasSuffix(base, ".flow.yaml") || strings.HasSuffix(base, ".flow.yml"):
		return kindFlow
	case strings.HasSuffix(base, ".test.yaml") || strings.HasSuffix(base, ".test.yml"):
		return kindTest
	case base == config.FileName:
		return kindConfig
	}
	return kindOther
}

// document is an open document: the editor's text, not the file's.
type document struct {
	uri     protocol.DocumentUri
	path    string
	kind    fileKind
	version protocol.Integer
	text    *text
	an      *analysis // the latest analysis, possibly of an older version
}

// analysis is what the server learned from one version of a document.
type analysis struct {
	version  protocol.Integer
	text     *text
	path     string
	kind     fileKind
	st       *settings
	project  *flow.Project      // flow files; the project a test file names
	findings []flow.Finding     // flow and config files: validate's findings
	test     *simulate.TestFile // test files
	problems []flow.Finding     // test files: what flowctl test reports
}

func (s *Server) didOpen(_ *glsp.Context, p *protocol.DidOpenTextDocumentParams) error {
	path := uriPath(p.TextDocument.URI)
	d := &document{uri: p.TextDocument.URI, path: path, kind: kindOf(path), version: p.TextDocument.Version, text: newText(p.TextDocument.Text)}
	s.mu.Lock()
	s.docs[d.uri] = d
	s.mu.Unlock()
	s.changed(d, true)
	return nil
}

func (s *Server) didChange(_ *glsp.Context, p *protocol.DidChangeTextDocumentParams) error {
	s.mu.Lock()
	d, ok := s.docs[p.TextDocument.URI]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("didChange for %s, which is not open", p.TextDocument.URI)
	}
	t := d.text
	for _, c := range p.ContentChanges {
		switch c := c.(type) {
		case protocol.TextDocumentContentChangeEvent:
			t = newText(t.apply(*c.Range, c.Text))
		case protocol.TextDocumentContentChangeEventWhole:
			t = newText(c.Text)
		}
	}
	d.text, d.version = t, p.TextDocument.Version
	s.mu.Unlock()
	s.changed(d, false)
	return nil
}

func (s *Server) didSave(_ *glsp.Context, p *protocol.DidSaveTextDocumentParams) error {
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	s.mu.Unlock()
	if d != nil {
		s.changed(d, true)
	}
	return nil
}

func (s *Server) didClose(_ *glsp.Context, p *protocol.DidCloseTextDocumentParams) error {
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	delete(s.docs, p.TextDocument.URI)
	s.mu.Unlock()
	if d == nil {
		return nil
	}
	if d.kind == kindFlow || d.kind == kindTest || d.kind == kindConfig {
		// The diagnostics were of the editor's text, which is gone.
		s.notify(string(protocol.ServerTextDocumentPublishDiagnostics), protocol.PublishDiagnosticsParams{URI: d.uri, Diagnostics: []protocol.Diagnostic{}})
	}
	if d.kind == kindConfig || (d.kind == kindOther && s.ws.usesOrg(d.path)) {
		// A closed config or org file is read from disk again.
		s.settingsChanged()
	}
	return nil
}

func (s *Server) didChangeWatchedFiles(*glsp.Context, *protocol.DidChangeWatchedFilesParams) error {
	s.settingsChanged()
	return nil
}

// settingsChanged drops what was learned from config and org files and
// checks every open document again.
func (s *Server) settingsChanged() {
	s.ws.reset()
	s.mu.Lock()
	for _, d := range s.docs {
		d.an = nil
	}
	s.mu.Unlock()
	s.diag.all()
}

// changed schedules diagnostics after an edit. A config or org document
// changes the settings of every document; saved marks an open or a save,
// when online queue facts are fetched again.
func (s *Server) changed(d *document, saved bool) {
	if d.kind == kindConfig || (d.kind == kindOther && s.ws.usesOrg(d.path)) {
		// A config or an org file other documents are checked with.
		s.settingsChanged()
		return
	}
	if d.kind == kindOther {
		return // some other YAML file: nothing to check
	}
	if saved && d.kind == kindFlow {
		s.diag.online(d.uri)
	}
	s.diag.mark(d.uri)
}

// openText returns the text of the open document at path.
func (s *Server) openText(path string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.docs {
		if d.path == path {
			return d.text.s, true
		}
	}
	return "", false
}

// doc returns an open document and its analysis for the current version,
// analysing it now when the latest is older.
func (s *Server) doc(uri protocol.DocumentUri) (*document, *analysis) {
	s.mu.Lock()
	d := s.docs[uri]
	if d == nil {
		s.mu.Unlock()
		return nil, nil
	}
	an, version, t := d.an, d.version, d.text
	s.mu.Unlock()
	if an == nil || an.version != version {
		an = s.analyse(d, version, t)
		s.store(d, an)
	}
	return d, an
}

// latest returns a document's newest analysis without waiting for one of
// the current version (completion must be fast; names change rarely), and
// the current text.
func (s *Server) latest(uri protocol.DocumentUri) (*document, *analysis, *text) {
	s.mu.Lock()
	d := s.docs[uri]
	if d == nil {
		s.mu.Unlock()
		return nil, nil, nil
	}
	an, t, version := d.an, d.text, d.version
	s.mu.Unlock()
	if an == nil {
		an = s.analyse(d, version, t)
		s.store(d, an)
	}
	return d, an, t
}

// store keeps an analysis unless a newer one is stored already.
func (s *Server) store(d *document, an *analysis) {
	s.mu.Lock()
	if d.an == nil || d.an.version <= an.version {
		d.an = an
	}
	s.mu.Unlock()
}

// analyse checks one version of a document the way flowctl does.
func (s *Server) analyse(d *document, version protocol.Integer, t *text) *analysis {
	if s.beforeAnalyse != nil {
		s.beforeAnalyse(d)
	}
	an := &analysis{version: version, text: t, path: d.path, kind: d.kind}
	switch d.kind {
	case kindFlow:
		an.st = s.ws.settingsFor(d.path)
		an.project, an.findings = flow.CheckFile(d.path, []byte(t.s), an.st.opts, an.st.report)
	case kindTest:
		an.st = s.ws.settingsFor(d.path)
		s.analyseTest(an)
	case kindConfig:
		_, an.findings = config.Parse(d.path, []byte(t.s))
		if st := s.ws.settingsFor(d.path); len(an.findings) == 0 && st.file == d.path {
			an.findings = st.orgFindings
		}
	}
	return an
}

// analyseTest reports what flowctl test would refuse to run: the test
// file's problems, then a flow that cannot be read or has errors.
func (s *Server) analyseTest(an *analysis) {
	tf, problems := simulate.ParseTestFile(an.path, []byte(an.text.s))
	an.test = tf
	for _, p := range problems {
		an.problems = append(an.problems, flow.Finding{File: an.path, Line: p.Line, Column: p.Col, Severity: flow.SeverityError, Rule: ruleTestFile, Message: p.Message})
	}
	if tf.Flow == "" {
		return
	}
	flowPath := simulate.FlowPath(an.path, tf.Flow)
	at := func(msg string) {
		an.problems = append(an.problems, flow.Finding{File: an.path, Line: tf.FlowPos.Line, Column: tf.FlowPos.Col, Severity: flow.SeverityError, Rule: ruleTestFile, Message: msg})
	}
	src, err := s.readFile(flowPath)
	if err != nil {
		at(fmt.Sprintf("cannot read flow %s: %v", tf.Flow, flow.PathErrorCause(err)))
		return
	}
	an.project = flow.Parse(flowPath, []byte(src))
	if errs, _ := flow.Count(flow.Validate(an.project, flow.Options{})); errs > 0 {
		at(fmt.Sprintf("flow %s does not validate: flowctl test will not run this test", tf.Flow))
	}
	an.problems = flow.SortFindings(an.problems)
}

// ruleTestFile is the diagnostic code of a test file's problems (flowctl
// test reports them as an invalid test file, without a rule id).
const ruleTestFile = "test-file"
