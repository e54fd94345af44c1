package report

import (
	"fmt"
	"io"

	"github.com/flowctl/flowctl/internal/words"
)

// ValidationFormats are validate's --format values; text is the default.
var ValidationFormats = []string{"text", "json", "junit", "sarif", "github"}

// machineWriters render a validation in the formats other than text.
var machineWriters = map[string]func(io.Writer, *Validation) error{
	"json":   writeFindingsJSON,
	"junit":  writeFindingsJUnit,
	"sarif":  writeFindingsSARIF,
	"github": writeFindingsGitHub,
}

// WriteValidation renders a validation in format (one of ValidationFormats,
// checked by the command). Results go to out; for the machine formats a
// one-line summary goes to errOut. st styles text; snippets shows each
// finding's source line (out is a terminal).
func WriteValidation(out, errOut io.Writer, format string, st *Styles, snippets bool, r *Validation) error {
	if format == "text" {
		return writeFindingsText(out, r, st, snippets)
	}
	w, ok := machineWriters[format]
	if !ok {
		return fmt.Errorf("unknown format %q", format)
	}
	if err := w(out, r); err != nil {
		return err
	}
	_, err := fmt.Fprintln(errOut, summaryLine(r))
	return err
}

// summaryLine says how many files, errors and warnings, how many files
// could not be read, and how queues were checked.
func summaryLine(r *Validation) string {
	unreadable := ""
	if n := len(r.Unreadable); n > 0 {
		unreadable = fmt.Sprintf(", %d unreadable", n)
	}
	strict := ""
	if r.Strict && r.Warnings > 0 {
		strict = " (failing: --strict)"
	}
	return fmt.Sprintf("%s checked: %s, %s%s%s; %s",
		words.Plural(len(r.Files), "file"), words.Plural(r.Errors, "error"), words.Plural(r.Warnings, "warning"), strict, unreadable, queueChecksNote(r.QueueChecks, r.Offline))
}

// queueChecksNote says how queues were checked; when they were skipped, it
// says what would check them: --org under --offline (which credentials
// cannot change), else --org or credentials.
func queueChecksNote(mode string, offline bool) string {
	switch mode {
	case QueueChecksOnline:
		return "queues checked online against Genesys"
	case QueueChecksOrg:
		return "queues checked against the org file"
	case QueueChecksFailed:
		return "queue checks failed (see the error below)"
	}
	if offline {
		return "queue checks skipped: --offline without --org (add --org FILE, an org snapshot from flowctl org export, to check queues offline)"
	}
	return "queue checks skipped (use --org FILE or set GENESYSCLOUD_* credentials)"
}
