package cmd

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/simulate"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// runExplore walks every path of p and reports; paths that cannot
// terminate make the exit status 1.
func runExplore(f *Factory, p *flow.Project, resolver simulate.QueueResolver, format string) error {
	r, err := simulate.Explore(f.Context, p, simulate.ExploreOptions{Resolver: resolver})
	if err != nil {
		return failure(err)
	}
	if format == "json" {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return failure(err)
		}
	} else {
		writeExploreText(f, r)
	}
	if len(r.Loops) > 0 {
		return errFindings
	}
	return nil
}

func writeExploreText(f *Factory, r *simulate.ExploreReport) {
	st := newStyles(f.IO)
	var sb strings.Builder
	paths := plural(r.Paths, "distinct path")
	if r.Saturated {
		paths = "more than " + paths
	}
	fmt.Fprintf(&sb, "%s: %s (%s explored)\n", st.File.Render(simulate.Printable(r.File)), paths, plural(r.States, "state"))
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
			fmt.Fprintf(&sb, "  %-16s %s\n", reason, plural(n, "path"))
		} else {
			fmt.Fprintf(&sb, "  %-16s %s\n", reason, st.Dim.Render("not reached"))
		}
	}
	c := r.Coverage
	fmt.Fprintf(&sb, "covered: blocks %d/%d, edges %d/%d, exits %d/%d\n", c.Blocks.Covered, c.Blocks.Total, c.Edges.Covered, c.Edges.Total, c.Exits.Covered, c.Exits.Total)
	writeNotCovered(&sb, st, "  ", c)
	if len(r.Loops) == 0 {
		sb.WriteString("paths that cannot terminate: none\n")
	} else {
		fmt.Fprintf(&sb, "%s %s cannot terminate (the bot never waits):\n", st.Error.Render("error:"), plural(len(r.Loops), "path"))
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
	fmt.Fprint(f.IO.Out, sb.String())
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

// writeNotCovered lists what a coverage report misses, or says nothing is.
func writeNotCovered(sb *strings.Builder, st *styles, indent string, c simulate.CoverageReport) {
	var lines []string
	for _, k := range c.Blocks.NotCovered {
		lines = append(lines, "block "+k)
	}
	for _, k := range c.Edges.NotCovered {
		lines = append(lines, "edge  "+k)
	}
	for _, k := range c.Exits.NotCovered {
		lines = append(lines, "exit  "+k)
	}
	if len(lines) == 0 {
		sb.WriteString(indent + "not covered: nothing\n")
		return
	}
	sb.WriteString(indent + "not covered:\n")
	for _, l := range lines {
		sb.WriteString(indent + "  " + st.Warning.Render(simulate.Printable(l)) + "\n")
	}
}

// cutText says which limit cut an exploration short, with its value.
func cutText(c simulate.Cut) string {
	n := message.NewPrinter(language.English).Sprintf("%d", c.Max)
	if c.Limit == simulate.CutPath {
		return "a path was cut after " + n + " decisions (the path limit): what follows on it was not explored"
	}
	return "the state limit was reached (" + n + " states): some paths were not explored"
}
