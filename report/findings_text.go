package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/mattn/go-runewidth"
)

// writeFindingsText writes one line per finding, file:line:col: severity:
// message [rule], with the source line and a caret when snippets is set
// (stdout is a terminal), then the summary line.
func writeFindingsText(w io.Writer, r *Validation, st *Styles, snippets bool) error {
	var sb strings.Builder
	for _, f := range r.Findings {
		sb.WriteString(FindingLine(f, st) + "\n")
		if snippets {
			writeSnippet(&sb, r.Lines[f.File][f.Line], f, st)
		}
	}
	summary := summaryLine(r)
	switch {
	case r.Failing() > 0 || r.ExecutionFailed():
		summary = st.Error.Render(summary)
	case r.Warnings > 0:
		summary = st.Warning.Render(summary)
	default:
		summary = st.OK.Render(summary)
	}
	sb.WriteString(summary + "\n")
	_, err := io.WriteString(w, sb.String())
	return err
}

// FindingLine is a finding as text output shows it: Finding.String, styled.
func FindingLine(f flow.Finding, st *Styles) string {
	sev := st.Warning.Render(string(f.Severity))
	if f.Severity == flow.SeverityError {
		sev = st.Error.Render(string(f.Severity))
	}
	return fmt.Sprintf("%s: %s: %s %s", st.File.Render(fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)), sev, f.Message, st.Rule.Render("["+f.Rule+"]"))
}

// writeSnippet writes the finding's source line (flow.SourceLine's text)
// with a gutter and a caret under its column (display width aware, tabs
// kept).
func writeSnippet(sb *strings.Builder, line string, f flow.Finding, st *Styles) {
	if line == "" {
		return
	}
	gutter := fmt.Sprintf("%d", f.Line)
	pad := strings.Repeat(" ", len(gutter))
	fmt.Fprintf(sb, " %s %s %s\n", st.Dim.Render(gutter), st.Dim.Render("|"), line)
	runes := []rune(line)
	col := min(max(f.Column-1, 0), len(runes))
	var indent strings.Builder
	for _, r := range runes[:col] {
		if r == '\t' {
			indent.WriteRune('\t')
		} else {
			indent.WriteString(strings.Repeat(" ", runewidth.RuneWidth(r)))
		}
	}
	caret := st.Error
	if f.Severity != flow.SeverityError {
		caret = st.Warning
	}
	fmt.Fprintf(sb, " %s %s %s%s\n", pad, st.Dim.Render("|"), indent.String(), caret.Render("^"))
}
