package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/flowctl/flowctl/flow"
)

// writeFindingsGitHub writes GitHub Actions workflow commands:
// ::error file=F,line=L,col=C::message [rule] for a finding that fails the
// run (an error; under --strict a warning too), else ::warning;
// ::error file=F::cannot read F: cause for an unreadable file, and a plain
// ::error:: line when the queue checks failed.
func writeFindingsGitHub(w io.Writer, r *Validation) error {
	var sb strings.Builder
	for _, e := range r.Unreadable {
		fmt.Fprintf(&sb, "::error file=%s::%s\n", escapeGitHubProperty(filepath.ToSlash(e.File)), escapeGitHubData(e.Message))
	}
	for _, f := range r.Findings {
		level := f.Severity
		if r.Fails(f) {
			level = flow.SeverityError
		}
		fmt.Fprintf(&sb, "::%s file=%s,line=%d,col=%d::%s\n", level,
			escapeGitHubProperty(filepath.ToSlash(f.File)), f.Line, f.Column,
			escapeGitHubData(f.Message+" ["+f.Rule+"]"))
	}
	if r.QueueError != "" {
		fmt.Fprintf(&sb, "::error::%s\n", escapeGitHubData("queue checks failed: "+r.QueueError))
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

var (
	githubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeGitHubData(s string) string     { return githubData.Replace(s) }
func escapeGitHubProperty(s string) string { return githubProperty.Replace(s) }
