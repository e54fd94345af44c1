package report

import "github.com/flowctl/flowctl/flow"

// How validate checked queues, as its summary and JSON say.
const (
	QueueChecksOnline  = "online"
	QueueChecksOrg     = "org"
	QueueChecksSkipped = "skipped"
	QueueChecksFailed  = "failed" // Genesys or the org file failed: see QueueError
)

// Validation is a validate run, as every format renders it.
type Validation struct {
	Files       []string // every file checked, in order (unreadable ones included)
	Findings    []flow.Finding
	Errors      int
	Warnings    int
	QueueChecks string                    // one of the QueueChecks constants
	Lines       map[string]map[int]string // file -> line -> its text: the lines of the findings, for snippets
	Unreadable  []ReadError               // files that could not be read, in file order
	QueueError  string                    // why the queue checks failed (QueueChecks == failed)
	ExitCode    int                       // the exit code the run ends with
	Strict      bool                      // --strict: warnings fail the run too
	Offline     bool                      // --offline: Genesys was not to be contacted
	ToolVersion string                    // flowctl's version, for SARIF
}

// ReadError is a file that could not be read or loaded.
type ReadError struct {
	File    string
	Message string // "cannot read FILE: cause"
}

// Fails reports whether a finding fails the run: every error, and under
// --strict every warning too. Each format shows such a finding as a
// failure (junit <failure>, sarif level error, github ::error).
func (r *Validation) Fails(f flow.Finding) bool {
	return f.Severity == flow.SeverityError || r.Strict
}

// Failing counts the findings that fail the run.
func (r *Validation) Failing() int {
	if r.Strict {
		return r.Errors + r.Warnings
	}
	return r.Errors
}

// ExecutionFailed reports whether the run could not check everything (a
// file could not be read, or the queue checks failed): exit 3, whatever
// the findings.
func (r *Validation) ExecutionFailed() bool {
	return len(r.Unreadable) > 0 || r.QueueError != ""
}
