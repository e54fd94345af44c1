package cmd

import (
	"encoding/json"
	"io"

	"github.com/flowctl/flowctl/flow"
)

type jsonFindings struct {
	Findings []flow.Finding `json:"findings"`
	Summary  jsonSummary    `json:"summary"`
}

type jsonSummary struct {
	Files       int    `json:"files"`
	Errors      int    `json:"errors"`
	Warnings    int    `json:"warnings"`
	QueueChecks string `json:"queueChecks"`
}

// writeFindingsJSON writes the spec §3 JSON object, indented.
func writeFindingsJSON(w io.Writer, r *validateReport) error {
	out := jsonFindings{
		Findings: r.Findings,
		Summary:  jsonSummary{Files: len(r.Files), Errors: r.Errors, Warnings: r.Warnings, QueueChecks: r.QueueChecks},
	}
	if out.Findings == nil {
		out.Findings = []flow.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
