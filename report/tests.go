package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/flowctl/flowctl/internal/words"
	"github.com/flowctl/flowctl/simulate"
)

// Tests is a test run, as every format renders it.
type Tests struct {
	Results  []simulate.TestResult
	Coverage []simulate.CoverageReport // with --coverage
	Passed   int
	Failed   int    // tests with a step that did not hold
	Errors   int    // tests that could not run
	Org      string // --org: the org file every test ran against
}

// transcriptTail is how many transcript lines a failing test shows.
const transcriptTail = 8

// WriteTestsText writes the results as text; what comes from test files,
// flows and the conversation has its control characters escaped.
func WriteTestsText(w io.Writer, st *Styles, r *Tests) error {
	var sb strings.Builder
	pr := simulate.Printable
	for _, res := range r.Results {
		switch res.Status {
		case simulate.StatusPass:
			fmt.Fprintf(&sb, "%s  %s  %s\n", st.OK.Render("PASS"), pr(res.File), st.Dim.Render(pr(res.Name)))
			continue
		case simulate.StatusFail:
			fmt.Fprintf(&sb, "%s  %s  %s\n", st.Error.Render("FAIL"), pr(res.File), pr(res.Name))
		default:
			fmt.Fprintf(&sb, "%s %s  %s\n", st.Error.Render("ERROR"), pr(res.File), pr(res.Name))
		}
		fl := res.Failure
		fmt.Fprintf(&sb, "      %s: %s\n", st.File.Render(pr(fl.Location())), pr(fl.Message))
		if fl.Expected != "" || fl.Got != "" {
			fmt.Fprintf(&sb, "        expected: %s\n        got:      %s\n", pr(fl.Expected), pr(fl.Got))
		}
		if !repeatsHeadline(fl) {
			for _, p := range fl.Problems {
				fmt.Fprintf(&sb, "        %s\n", pr(p))
			}
		}
		if n := len(res.Transcript); n > 0 {
			lines := res.Transcript[max(0, n-transcriptTail):]
			label := "transcript:"
			if n > transcriptTail {
				label = fmt.Sprintf("transcript (last %d of %d lines):", transcriptTail, n)
			}
			fmt.Fprintf(&sb, "        %s\n", st.Dim.Render(label))
			for _, l := range lines {
				fmt.Fprintf(&sb, "          %s\n", st.Dim.Render(pr(l)))
			}
		}
	}
	total := len(r.Results)
	summary := fmt.Sprintf("%s: %d passed, %d failed", words.Plural(total, "test"), r.Passed, r.Failed)
	if r.Errors > 0 {
		summary += fmt.Sprintf(", %d could not run", r.Errors)
	}
	if r.Failed+r.Errors > 0 {
		summary = st.Error.Render(summary)
	} else {
		summary = st.OK.Render(summary)
	}
	fmt.Fprintf(&sb, "\n%s\n", summary)
	if r.Coverage != nil {
		sb.WriteString("\ncoverage:\n")
		for _, c := range r.Coverage {
			fmt.Fprintf(&sb, "  %s: blocks %s, edges %s, exits %s\n", st.File.Render(pr(c.File)), tally(c.Blocks), tally(c.Edges), tally(c.Exits))
			NotCovered(&sb, st, "    ", c)
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// repeatsHeadline reports whether the failure's only problem is the one its
// headline already shows (a test file with a single mistake), so listing it
// again would say the same thing twice. With several, the headline counts
// them and the list says each.
func repeatsHeadline(fl *simulate.Failure) bool {
	if len(fl.Problems) != 1 {
		return false
	}
	rest, ok := strings.CutPrefix(fl.Problems[0], fl.Location()+": ")
	return ok && strings.HasSuffix(fl.Message, ": "+rest)
}

// JSONTests is test's JSON output.
type JSONTests struct {
	Tests    []simulate.TestResult     `json:"tests"`
	Summary  JSONTestsSummary          `json:"summary"`
	Coverage []simulate.CoverageReport `json:"coverage,omitempty"`
}

// JSONTestsSummary counts a test run's results.
type JSONTestsSummary struct {
	Tests  int    `json:"tests"`
	Passed int    `json:"passed"`
	Failed int    `json:"failed"`
	Errors int    `json:"errors"`
	Org    string `json:"org,omitempty"` // --org: the org file every test ran against
}

// WriteTestsJSON writes the results as one JSON object.
func WriteTestsJSON(w io.Writer, r *Tests) error {
	out := JSONTests{
		Tests:    r.Results,
		Summary:  JSONTestsSummary{Tests: len(r.Results), Passed: r.Passed, Failed: r.Failed, Errors: r.Errors, Org: r.Org},
		Coverage: r.Coverage,
	}
	if out.Tests == nil {
		out.Tests = []simulate.TestResult{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteTestsJUnit writes one testsuite per test file with one testcase: a
// <failure> when a step did not hold, an <error> when the test could not
// run, counted apart in the errors attributes.
func WriteTestsJUnit(w io.Writer, r *Tests) error {
	out := JUnitSuites{Name: "flowctl test"}
	for _, res := range r.Results {
		s := JUnitSuite{Name: res.File, Time: "0", Tests: 1}
		tc := JUnitCase{Name: res.Name, Classname: res.File, Time: "0"}
		if fl := res.Failure; fl != nil {
			var text strings.Builder
			fmt.Fprintf(&text, "%s: %s", fl.Location(), fl.Message)
			if fl.Expected != "" || fl.Got != "" {
				fmt.Fprintf(&text, "\nexpected: %s\ngot:      %s", fl.Expected, fl.Got)
			}
			if !repeatsHeadline(fl) {
				for _, p := range fl.Problems {
					text.WriteString("\n" + p)
				}
			}
			if res.Status == simulate.StatusError {
				tc.Error = &JUnitFailure{Message: fl.Message, Type: "error", Text: text.String()}
				s.Errors = 1
				out.Errors++
			} else {
				tc.Failure = &JUnitFailure{Message: fl.Message, Type: "step", Text: text.String()}
				s.Failures = 1
				out.Failures++
			}
		}
		if len(res.Transcript) > 0 {
			tc.SystemOut = strings.Join(res.Transcript, "\n")
		}
		s.Cases = []JUnitCase{tc}
		out.Tests++
		out.Suites = append(out.Suites, s)
	}
	return writeJUnit(w, out)
}
