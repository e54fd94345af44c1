package graph

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/flow"
)

// mermaidClassDefs are the node styles, in the order they are declared.
var mermaidClassDefs = []struct{ name, style string }{
	{"start", "fill:#263238,stroke:#263238,color:#ffffff"},
	{"redirect", "fill:#fff3e0,stroke:#e65100"},
	{"transfer", "fill:#e3f2fd,stroke:#1565c0"},
	{"exit", "fill:#eceff1,stroke:#607d8b,color:#37474f"},
	{"flowref", "fill:#ffffff,stroke:#1565c0,stroke-dasharray:4 3"},
	{"missing", "fill:#ffebee,stroke:#c62828,stroke-dasharray:4 3,color:#b71c1c"},
	{"unreachable", "fill:#f5f5f5,stroke:#9e9e9e,stroke-dasharray:5 5,color:#757575"},
	{"covered", "fill:#e8f5e9,stroke:#2e7d32,color:#1b5e20"},
	{"uncovered", "fill:#ffebee,stroke:#c62828,color:#b71c1c"},
	{"unreachableCov", "stroke-dasharray:5 5"},
}

// Edge colours of the coverage overlay.
const (
	mermaidCoveredLink   = "stroke:#2e7d32,stroke-width:2px"
	mermaidUncoveredLink = "stroke:#c62828,stroke-width:2px"
)

// writeMermaid renders g as a Mermaid flowchart (no Markdown fence). It has
// no title: Mermaid renders a front-matter title with < dropped and & shown
// as &amp;, so the flows' subgraphs carry the names instead.
func writeMermaid(w io.Writer, g *Graph) error {
	var sb strings.Builder
	sb.WriteString("flowchart TD\n")
	classes := map[string][]string{}
	for _, c := range g.Clusters {
		writeMermaidCluster(&sb, c, g.Coverage != nil, classes)
	}
	if g.Legend != nil {
		writeMermaidCluster(&sb, g.Legend, true, classes)
	}
	var covered, uncovered []string
	for i, e := range g.Edges {
		arrow := "-->"
		switch e.Style {
		case EdgeThick:
			arrow = "==>"
		case EdgeDotted:
			arrow = "-.->"
		}
		if e.Label != "" {
			fmt.Fprintf(&sb, "  %s %s|\"%s\"| %s\n", e.From, arrow, mermaidText(e.Label), e.To)
		} else {
			fmt.Fprintf(&sb, "  %s %s %s\n", e.From, arrow, e.To)
		}
		switch {
		case e.Never:
		case e.Covered:
			covered = append(covered, strconv.Itoa(i))
		default:
			uncovered = append(uncovered, strconv.Itoa(i))
		}
	}
	for _, cd := range mermaidClassDefs {
		if ids := classes[cd.name]; len(ids) > 0 {
			fmt.Fprintf(&sb, "  classDef %s %s\n", cd.name, cd.style)
		}
	}
	for _, cd := range mermaidClassDefs {
		if ids := classes[cd.name]; len(ids) > 0 {
			fmt.Fprintf(&sb, "  class %s %s\n", strings.Join(ids, ","), cd.name)
		}
	}
	if g.Coverage != nil {
		if len(covered) > 0 {
			fmt.Fprintf(&sb, "  linkStyle %s %s\n", strings.Join(covered, ","), mermaidCoveredLink)
		}
		if len(uncovered) > 0 {
			fmt.Fprintf(&sb, "  linkStyle %s %s\n", strings.Join(uncovered, ","), mermaidUncoveredLink)
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// writeMermaidCluster writes one subgraph and records each node's classes.
func writeMermaidCluster(sb *strings.Builder, c *Cluster, overlay bool, classes map[string][]string) {
	fmt.Fprintf(sb, "  subgraph %s[\"%s\"]\n", c.ID, mermaidText(c.Label))
	for _, n := range c.Nodes {
		open, close := mermaidShape(n)
		fmt.Fprintf(sb, "    %s%s\"%s\"%s\n", n.ID, open, mermaidLines(n.Lines), close)
		for _, cl := range mermaidNodeClasses(n, overlay) {
			classes[cl] = append(classes[cl], n.ID)
		}
	}
	sb.WriteString("  end\n")
}

// mermaidNodeClasses returns the classDef names a node gets.
func mermaidNodeClasses(n *Node, overlay bool) []string {
	switch n.Kind {
	case NodeStart, NodeMissing, NodeFlowRef:
		return []string{string(n.Kind)}
	case NodeNote:
		return nil
	case NodeLegend:
		if n.Covered {
			return []string{"covered"}
		}
		return []string{"uncovered"}
	}
	if overlay {
		cl := []string{"uncovered"}
		if n.Covered {
			cl[0] = "covered"
		}
		if n.Unreachable {
			cl = append(cl, "unreachableCov")
		}
		return cl
	}
	if n.Kind == NodeExit {
		return []string{"exit"}
	}
	if n.Unreachable {
		return []string{"unreachable"}
	}
	switch n.Type {
	case flow.TypeRedirect, flow.TypeTransfer:
		return []string{string(n.Type)}
	}
	return nil
}

// mermaidShape returns the brackets of a node's shape.
func mermaidShape(n *Node) (string, string) {
	switch n.Kind {
	case NodeStart:
		return "((", "))"
	case NodeExit:
		return ">", "]"
	case NodeFlowRef:
		return "[[", "]]"
	case NodeMissing, NodeLegend, NodeNote:
		return "[", "]"
	}
	switch n.Type {
	case flow.TypeSay:
		return "(", ")"
	case flow.TypeAsk:
		return "[/", "/]"
	case flow.TypeRedirect:
		return "{{", "}}"
	case flow.TypeTransfer:
		return "[[", "]]"
	case flow.TypeEnd:
		return "([", "])"
	}
	return "[", "]"
}

// mermaidLines joins label lines with line breaks.
func mermaidLines(lines []string) string {
	esc := make([]string, len(lines))
	for i, l := range lines {
		esc[i] = mermaidText(l)
	}
	return strings.Join(esc, "<br>")
}

// mermaidText escapes s for a double-quoted Mermaid label. Characters that
// end the string, start an entity, form HTML or Markdown, or split a link
// label become Mermaid entity codes (#quot; #35; ...); a newline becomes
// <br>; other control characters are dropped. Unicode passes through.
func mermaidText(s string) string {
	var sb strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			sb.WriteString("#quot;")
		case '#':
			sb.WriteString("#35;")
		case '&':
			sb.WriteString("#amp;")
		case '<':
			sb.WriteString("#lt;")
		case '>':
			sb.WriteString("#gt;")
		case '`':
			sb.WriteString("#96;")
		case '|':
			sb.WriteString("#124;")
		case '\n':
			sb.WriteString("<br>")
		default:
			if r < ' ' || r == 0x7f {
				continue
			}
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
