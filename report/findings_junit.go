package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/flowctl/flowctl/flow"
)

// JUnitSuites is a JUnit XML document as CI systems read it (the
// Jenkins/Surefire schema); the types below are its parts.
type JUnitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr,omitempty"` // tests that could not run
	Suites   []JUnitSuite `xml:"testsuite"`
}

type JUnitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Cases     []JUnitCase `xml:"testcase"`
	SystemOut string      `xml:"system-out,omitempty"`
}

type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *JUnitFailure `xml:"failure,omitempty"`
	Error     *JUnitFailure `xml:"error,omitempty"` // the case could not run
	Skipped   *JUnitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type JUnitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type JUnitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

// writeJUnit writes a JUnit document (JUnitSuites or a type embedding its
// parts) with the XML header, indented.
func writeJUnit(w io.Writer, s any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(s); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// writeFindingsJUnit writes one testsuite per file and one failing testcase
// per finding that fails the run (every error; under --strict every
// warning too); a file without such findings has one passing testcase.
// Other warnings are listed in the suite's system-out. A file that cannot be read has one
// <error> testcase, and a failed queue lookup adds a suite "queue checks"
// with one; both count under errors.
func writeFindingsJUnit(w io.Writer, r *Validation) error {
	byFile := map[string][]flow.Finding{}
	for _, f := range r.Findings {
		byFile[f.File] = append(byFile[f.File], f)
	}
	unreadable := map[string]string{}
	for _, e := range r.Unreadable {
		unreadable[e.File] = e.Message
	}
	out := JUnitSuites{Name: "flowctl validate"}
	add := func(s JUnitSuite) {
		s.Tests = len(s.Cases)
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Suites = append(out.Suites, s)
	}
	for _, file := range r.Files {
		s := JUnitSuite{Name: file, Time: "0"}
		if msg, ok := unreadable[file]; ok {
			s.Cases = append(s.Cases, JUnitCase{Name: "read", Classname: file, Time: "0",
				Error: &JUnitFailure{Message: msg, Type: "unreadable", Text: msg}})
			s.Errors++
			add(s)
			continue
		}
		var warnings []string
		for _, f := range byFile[file] {
			if !r.Fails(f) {
				warnings = append(warnings, f.String())
				continue
			}
			s.Cases = append(s.Cases, JUnitCase{
				Name:      fmt.Sprintf("%s at %d:%d", f.Rule, f.Line, f.Column),
				Classname: file, Time: "0",
				Failure: &JUnitFailure{Message: f.Message, Type: f.Rule, Text: f.String()},
			})
			s.Failures++
		}
		if s.Failures == 0 {
			s.Cases = append(s.Cases, JUnitCase{Name: "valid", Classname: file, Time: "0"})
		}
		if len(warnings) > 0 {
			s.SystemOut = strings.Join(warnings, "\n")
		}
		add(s)
	}
	if r.QueueError != "" {
		add(JUnitSuite{Name: "queue checks", Time: "0", Errors: 1, Cases: []JUnitCase{{
			Name: "queue lookup", Classname: "queue checks", Time: "0",
			Error: &JUnitFailure{Message: r.QueueError, Type: "queue-checks-failed", Text: r.QueueError},
		}}})
	}
	return writeJUnit(w, out)
}
