package report

import (
	"fmt"
	"strings"

	"github.com/flowctl/flowctl/simulate"
)

// NotCovered lists what a coverage report misses, or says nothing is, each
// line starting with indent.
func NotCovered(sb *strings.Builder, st *Styles, indent string, c simulate.CoverageReport) {
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

// tally is covered/total with the percentage.
func tally(t simulate.Tally) string {
	return fmt.Sprintf("%d/%d (%.0f%%)", t.Covered, t.Total, t.Percent())
}
