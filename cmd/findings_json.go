package cmd

import (
	"encoding/json"
	"io"

	"github.com/flowctl/flowctl/flow"
)

// jsonFindings is the spec §3 object. Failures, beyond the spec, lists what
// kept the run from checking everything (exit 3): unreadable files and a
// failed queue lookup; it is left out when there are none.
type jsonFindings struct {
	Findings []flow.Finding `json:"findings"`
	Summary  jsonSummary    `json:"summary"`
	Failures []jsonFailure  `json:"failures,omitempty"`
}

type jsonSummary struct {
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

// jsonFailure is an operational failure: File is set for an unreadable file
// and empty for the queue checks.
type jsonFailure struct {
	File    string `json:"file,omitempty"`
	Message string `json:"message"`
}

// writeFindingsJSON writes the spec §3 JSON object, indented.
func writeFindingsJSON(w io.Writer, r *validateReport) error {
	out := jsonFindings{
		Findings: r.Findings,
		Summary: jsonSummary{Files: len(r.Files), Errors: r.Errors, Warnings: r.Warnings,
			QueueChecks: r.QueueChecks, Unreadable: len(r.Unreadable)},
	}
	if r.Strict {
		n := r.failing()
		out.Summary.Strict, out.Summary.Failing = true, &n
	}
	if out.Findings == nil {
		out.Findings = []flow.Finding{}
	}
	for _, e := range r.Unreadable {
		out.Failures = append(out.Failures, jsonFailure{File: e.File, Message: e.Message})
	}
	if r.QueueError != "" {
		out.Failures = append(out.Failures, jsonFailure{Message: "queue checks failed: " + r.QueueError})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
