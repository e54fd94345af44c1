package lsp

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/flowctl/flowctl/config"
	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
	"github.com/flowctl/flowctl/schemas"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// workspace caches what documents share: the project config of each folder
// and the queue facts of each org file. Saves and watched-file changes
// drop the caches.
type workspace struct {
	s *Server

	mu      sync.Mutex
	root    string
	configs map[string]*settings // by folder
	orgs    map[orgKey]*orgFacts // by org file and client
	online  map[string]*orgFacts // by config file: facts fetched online
	// orgFiles are the org files documents were checked with, kept over
	// resets: an edit of one re-checks every document.
	orgFiles map[string]bool
}

type orgKey struct{ path, client string }

// orgFacts are an org file's facts, or why there are none.
type orgFacts struct {
	facts *genesys.Facts
	err   error
}

// settings are what a document is checked with: its project config (if
// any, and valid) and the queue facts it names.
type settings struct {
	cfg      *config.Config // nil: no usable config
	file     string         // the config file found ("" none)
	findings []flow.Finding // a bad config's problems
	opts     flow.Options
	queues   *orgFacts // nil: no queue checks
	orgFile  string    // the org file queues come from
	// orgFindings are the config's problems with its org file: one that
	// cannot be read (at org:) or has no such OAuth client (at client:).
	orgFindings []flow.Finding
}

// ruleOrgFile is the diagnostic code of a config's org file that cannot be
// used (flowctl reports it as an error naming the config's line).
const ruleOrgFile = "org-file"

// configOrgFindings says on the config why its org file gives no queue
// facts; an invalid org file gets its own diagnostics instead.
func configOrgFindings(cfg *config.Config, err error) []flow.Finding {
	if err == nil || org.IsError(err) {
		return nil
	}
	at, msg := cfg.OrgPos, fmt.Sprintf("cannot read org file %s: %v", cfg.Org, flow.PathErrorCause(err))
	var ce *org.ClientChoiceError
	if errors.As(err, &ce) {
		msg = err.Error()
		if ce.Want == "" {
			msg = fmt.Sprintf("org file %s has %d OAuth clients (%s): name one with client: NAME", cfg.Org, len(ce.Names), strings.Join(ce.Names, ", "))
		} else {
			at = cfg.ClientPos
		}
	}
	return []flow.Finding{{File: cfg.File, Line: at.Line, Column: at.Col, Severity: flow.SeverityError, Rule: ruleOrgFile, Message: msg}}
}

func newWorkspace(s *Server) *workspace {
	ws := &workspace{s: s, orgFiles: map[string]bool{}}
	ws.reset()
	return ws
}

// reset drops every cache.
func (ws *workspace) reset() {
	ws.mu.Lock()
	ws.configs = map[string]*settings{}
	ws.orgs = map[orgKey]*orgFacts{}
	ws.online = map[string]*orgFacts{}
	ws.mu.Unlock()
}

func (ws *workspace) setRoot(p *protocol.InitializeParams) {
	root := ""
	switch {
	case len(p.WorkspaceFolders) > 0:
		root = uriPath(p.WorkspaceFolders[0].URI)
	case p.RootURI != nil:
		root = uriPath(*p.RootURI)
	case p.RootPath != nil:
		root = *p.RootPath
	}
	ws.mu.Lock()
	ws.root = root
	ws.mu.Unlock()
}

// settingsFor returns the settings of the file at path (cached per folder).
func (ws *workspace) settingsFor(path string) *settings {
	dir := filepath.Dir(path)
	ws.mu.Lock()
	st, ok := ws.configs[dir]
	ws.mu.Unlock()
	if ok {
		return st
	}
	st = ws.load(dir)
	ws.mu.Lock()
	ws.configs[dir] = st
	ws.mu.Unlock()
	return st
}

// load finds and reads the config of a folder; an open config document's
// text wins over the file on disk.
func (ws *workspace) load(dir string) *settings {
	st := &settings{}
	file, err := ws.s.opts.Config, error(nil)
	if file == "" {
		file, err = config.Find(dir)
	}
	if err != nil || file == "" {
		return st
	}
	st.file = file
	var cfg *config.Config
	var fs []flow.Finding
	if src, ok := ws.s.openText(file); ok {
		cfg, fs = config.Parse(file, []byte(src))
	} else if cfg, fs, err = config.Load(file); err != nil {
		ws.s.logf("cannot read config file %s: %v", file, err)
		return st
	}
	st.findings = fs
	if len(fs) > 0 {
		return st // a bad config is not used
	}
	st.cfg = cfg
	st.opts = flow.Options{Enable: cfg.Enable}
	switch {
	case cfg.Org != "":
		st.orgFile = cfg.Org
		st.queues = ws.org(cfg.Org, cfg.Client)
		st.orgFindings = configOrgFindings(cfg, st.queues.err)
	case cfg.Online && ws.s.opts.Online != nil:
		ws.mu.Lock()
		st.queues = ws.online[file]
		ws.mu.Unlock()
	}
	return st
}

// usesOrg reports whether some document is checked with the org file at
// path.
func (ws *workspace) usesOrg(path string) bool {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.orgFiles[path]
}

// org returns the facts of an org file for a client (cached).
func (ws *workspace) org(path, client string) *orgFacts {
	k := orgKey{path, client}
	ws.mu.Lock()
	of, ok := ws.orgs[k]
	ws.mu.Unlock()
	if ok {
		return of
	}
	of = &orgFacts{}
	var o *org.File
	if src, open := ws.s.openText(path); open {
		o, of.err = org.Parse(path, []byte(src))
	} else {
		o, of.err = org.Load(path)
	}
	if of.err == nil {
		of.facts, of.err = org.Facts(o, client)
	}
	if of.err != nil {
		ws.s.logf("org file %s: %v", path, of.err)
	}
	ws.mu.Lock()
	ws.orgs[k] = of
	ws.orgFiles[path] = true
	ws.mu.Unlock()
	return of
}

// fetchOnline looks the queues of a project up in Genesys for a config
// that asks for online checks (on open and save only) and reports whether
// it did.
func (ws *workspace) fetchOnline(path string, names []string) bool {
	st := ws.settingsFor(path)
	if st.cfg == nil || !st.cfg.Online || st.cfg.Org != "" || ws.s.opts.Online == nil {
		return false
	}
	facts, err := ws.s.opts.Online(ws.s.ctx, names)
	if err != nil {
		ws.s.logf("online queue checks: %v", err)
		ws.s.notifyLog(protocol.MessageTypeWarning, "flowctl: online queue checks failed: "+err.Error())
	}
	ws.mu.Lock()
	ws.online[st.file] = &orgFacts{facts: facts, err: err}
	ws.configs = map[string]*settings{}
	ws.mu.Unlock()
	return true
}

// report returns the queue report of a parsed project, as validate makes
// it from the same facts (nil: no queue checks).
func (st *settings) report(p *flow.Project) *flow.QueueReport {
	if st.queues == nil || st.queues.facts == nil {
		return nil
	}
	return genesys.Resolve(st.queues.facts, flow.QueueNames(p)).QueueReport()
}

// testDirs are the folders holding the project's test files.
func (ws *workspace) testDirs(path string) []string {
	st := ws.settingsFor(path)
	if st.cfg != nil {
		return st.cfg.TestDirs()
	}
	if st.file != "" {
		return []string{filepath.Dir(st.file)}
	}
	ws.mu.Lock()
	root := ws.root
	ws.mu.Unlock()
	if root != "" && strings.HasPrefix(path, root+string(filepath.Separator)) {
		return []string{root}
	}
	return []string{filepath.Dir(path)}
}

// uriPath returns the file path of a file: URI, or the URI itself.
func uriPath(uri protocol.DocumentUri) string {
	u, err := url.Parse(string(uri))
	if err != nil || u.Scheme != "file" {
		return string(uri)
	}
	p := u.Path
	if runtime.GOOS == "windows" {
		p = strings.TrimPrefix(p, "/")
	}
	return filepath.FromSlash(p)
}

// pathURI returns the file: URI of an absolute path.
func pathURI(path string) protocol.DocumentUri {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return protocol.DocumentUri((&url.URL{Scheme: "file", Path: p}).String())
}

// readFile reads a file of the workspace: an open document's text, else
// the file on disk through the reader of every flowctl file
// (schemas.ReadFile: regular files of at most schemas.MaxFileSize bytes).
func (s *Server) readFile(path string) (string, error) {
	if t, ok := s.openText(path); ok {
		return t, nil
	}
	b, err := schemas.ReadFile(path)
	return string(b), err
}
