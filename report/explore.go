package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/flowctl/flowctl/internal/words"
	"github.com/flowctl/flowctl/simulate"
)

// WriteExplore writes an exploration as text: its paths and states, the
// limits that cut it, its closures by reason, coverage, the paths that
// cannot terminate and run-time errors.
func WriteExplore(w io.Writer, st *Styles, r *simulate.ExploreReport) {
	var sb strings.Builder
	paths := words.Plural(r.Paths, "distinct path")
	if r.Saturated {
		paths = "more than " + paths
	}
	fmt.Fprintf(&sb, "%s: %s (%s explored)\n", st.File.Render(simulate.Printable(r.File)), paths, words.Plural(r.States, "state"))
	for _, c := range r.TruncatedBy {
		sb.WriteString(st.Warning.Render("warning:") + " " + cutText(c) + "\n")
	}
	sb.WriteString("closures:\n")
	got := map[string]uint64{}
	for _, c := range r.Closures {
		got[c.Reason] = c.Paths
	}
	for _, reason := range simulate.Reasons {
		if n, ok := got[reason]; ok {
			fmt.Fprintf(&sb, "  %-16s %s\n", reason, words.Plural(n, "path"))
		} else {
			fmt.Fprintf(&sb, "  %-16s %s\n", reason, st.Dim.Render("not reached"))
		}
	}
	c := r.Coverage
	fmt.Fprintf(&sb, "covered: blocks %d/%d, edges %d/%d, exits %d/%d\n", c.Blocks.Covered, c.Blocks.Total, c.Edges.Covered, c.Edges.Total, c.Exits.Covered, c.Exits.Total)
	NotCovered(&sb, st, "  ", c)
	if len(r.Loops) == 0 {
		sb.WriteString("paths that cannot terminate: none\n")
	} else {
		fmt.Fprintf(&sb, "%s %s cannot terminate (the bot never waits):\n", st.Error.Render("error:"), words.Plural(len(r.Loops), "path"))
		for _, l := range r.Loops {
			fmt.Fprintf(&sb, "  after %s: loops through %s\n", simulate.Printable(strings.Join(l.Choices, ", ")), simulate.Printable(strings.Join(compactLoop(l.Blocks), " → ")))
		}
	}
	if len(r.Errors) > 0 {
		sb.WriteString("run-time errors:\n")
		for _, e := range r.Errors {
			fmt.Fprintf(&sb, "  %s\n", simulate.Printable(e))
		}
	}
	fmt.Fprint(w, sb.String())
}

// compactLoop shortens a block trail to its first repeating cycle.
func compactLoop(blocks []string) []string {
	for i, b := range blocks {
		for j := i + 1; j < len(blocks); j++ {
			if blocks[j] == b {
				return blocks[i : j+1]
			}
		}
	}
	return blocks
}

// cutText says which limit cut an exploration short, with its value.
func cutText(c simulate.Cut) string {
	n := words.Number(c.Max)
	if c.Limit == simulate.CutPath {
		return "a path was cut after " + n + " decisions (the path limit): what follows on it was not explored"
	}
	return "the state limit was reached (" + n + " states): some paths were not explored"
}
