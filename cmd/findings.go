package cmd

import (
	"fmt"
	"io"

	"github.com/flowctl/flowctl/simulate"
)

// machineWriters render a validate report in the formats other than text.
var machineWriters = map[string]func(io.Writer, *validateReport) error{
	"json":   writeFindingsJSON,
	"junit":  writeFindingsJUnit,
	"sarif":  writeFindingsSARIF,
	"github": writeFindingsGitHub,
}

// writeFindings renders a validate report in the chosen format (one of
// validateFormats, checked by the command). Results go to stdout; for the
// machine formats a one-line summary goes to stderr.
func writeFindings(f *Factory, format string, r *validateReport) error {
	if format == "text" {
		return writeFindingsText(f.IO.Out, r, newStyles(f.IO), f.IO.IsStdoutTTY())
	}
	if err := machineWriters[format](f.IO.Out, r); err != nil {
		return err
	}
	_, err := fmt.Fprintln(f.IO.ErrOut, summaryLine(r))
	return err
}

// summaryLine says how many files, errors and warnings, how many files
// could not be read, and how queues were checked.
func summaryLine(r *validateReport) string {
	unreadable := ""
	if n := len(r.Unreadable); n > 0 {
		unreadable = fmt.Sprintf(", %d unreadable", n)
	}
	strict := ""
	if r.Strict && r.Warnings > 0 {
		strict = " (failing: --strict)"
	}
	return fmt.Sprintf("%s checked: %s, %s%s%s; %s",
		plural(len(r.Files), "file"), plural(r.Errors, "error"), plural(r.Warnings, "warning"), strict, unreadable, queueChecksNote(r.QueueChecks, r.Offline))
}

// queueChecksNote says how queues were checked; when they were skipped, it
// says what would check them: --org under --offline (which credentials
// cannot change), else --org or credentials.
func queueChecksNote(mode string, offline bool) string {
	switch mode {
	case queueChecksOnline:
		return "queues checked online against Genesys"
	case queueChecksOrg:
		return "queues checked against the org file"
	case queueChecksFailed:
		return "queue checks failed (see the error below)"
	}
	if offline {
		return "queue checks skipped: --offline without --org (add --org FILE, an org snapshot from flowctl org export, to check queues offline)"
	}
	return "queue checks skipped (use --org FILE or set GENESYSCLOUD_* credentials)"
}

// plural is n and word, with an s for any n but 1: "1 file", "2 files".
func plural[N int | uint64](n N, word string) string { return simulate.Plural(n, word) }
