package report

import (
	"encoding/json"
	"io"

	"github.com/flowctl/flowctl/flow"
)

// JSONFindings is validate's JSON output, the spec §3 object. Failures, beyond the spec, lists what
// kept the run from checking everything (exit 3): unreadable files and a
// failed queue lookup; it is left out when there are none.
type JSONFindings struct {
	Findings []flow.Finding `json:"findings"`
	Summary  JSONSummary    `json:"summary"`
	Failures []JSONFailure  `json:"failures,omitempty"`
}

// JSONSummary counts what a validation found.
type JSONSummary struct {
	Files       int    `json:"files"`
	Errors      int    `json:"errors"`
	Warnings    int    `json:"warnings"`
	QueueChecks string `json:"queueChecks"` // online, org, skipped or failed
	Unreadable  int    `json:"unreadable"`  // files that could not be read
	// Strict and Failing appear under --strict only: Failing counts the
	// findings that fail the run (errors and warnings); without --strict
	// that is errors.
	Strict  bool `json:"strict,omitempty"`
	Failing *int `json:"failing,omitempty"`
}

// JSONFailure is an operational failure: File is set for an unreadable file
// and empty for the queue checks.
type JSONFailure struct {
	File    string `json:"file,omitempty"`
	Message string `json:"message"`
}

// writeFindingsJSON writes the spec §3 JSON object, indented.
func writeFindingsJSON(w io.Writer, r *Validation) error {
	out := JSONFindings{
		Findings: r.Findings,
		Summary: JSONSummary{Files: len(r.Files), Errors: r.Errors, Warnings: r.Warnings,
			QueueChecks: r.QueueChecks, Unreadable: len(r.Unreadable)},
	}
	if r.Strict {
		n := r.Failing()
		out.Summary.Strict, out.Summary.Failing = true, &n
	}
	if out.Findings == nil {
		out.Findings = []flow.Finding{}
	}
	for _, e := range r.Unreadable {
		out.Failures = append(out.Failures, JSONFailure{File: e.File, Message: e.Message})
	}
	if r.QueueError != "" {
		out.Failures = append(out.Failures, JSONFailure{Message: "queue checks failed: " + r.QueueError})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
