package cmd

import (
	"fmt"
)

// writeFindings renders a validate report in the chosen format. Results go
// to stdout; for the machine formats a one-line summary goes to stderr.
func writeFindings(f *Factory, format string, r *validateReport) error {
	w := f.IO.Out
	var err error
	switch format {
	case "text":
		return writeFindingsText(w, r, newStyles(f.IO), f.IO.IsStdoutTTY())
	case "json":
		err = writeFindingsJSON(w, r)
	case "junit":
		err = writeFindingsJUnit(w, r)
	case "sarif":
		err = writeFindingsSARIF(w, r)
	case "github":
		err = writeFindingsGitHub(w, r)
	default:
		return fmt.Errorf("unknown format %q", format)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(f.IO.ErrOut, summaryLine(r))
	return err
}

// summaryLine says how many files, errors and warnings, and how queues
// were checked.
func summaryLine(r *validateReport) string {
	return fmt.Sprintf("%s checked: %s, %s; %s",
		plural(len(r.Files), "file"), plural(r.Errors, "error"), plural(r.Warnings, "warning"), queueChecksNote(r.QueueChecks))
}

func queueChecksNote(mode string) string {
	switch mode {
	case queueChecksOnline:
		return "queues checked online against Genesys"
	case queueChecksOrg:
		return "queues checked against the org file"
	}
	return "queue checks skipped (use --org FILE or set GENESYSCLOUD_* credentials)"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
