package graph

import (
	"fmt"
	"io"
	"strings"

	"github.com/flowctl/flowctl/flow"
)

// DOT colours; the overlay's match the Mermaid ones.
const (
	dotCoveredFill   = "#e8f5e9"
	dotCoveredLine   = "#2e7d32"
	dotUncoveredFill = "#ffebee"
	dotUncoveredLine = "#c62828"
)

// writeDOT renders g as a Graphviz digraph, one cluster per flow.
func writeDOT(w io.Writer, g *Graph) error {
	var sb strings.Builder
	sb.WriteString("digraph flowctl {\n")
	fmt.Fprintf(&sb, "  graph [label=%s, labelloc=t, rankdir=TB, fontname=\"Helvetica\"];\n", dotQuote(shortText(g.Title, 80)))
	sb.WriteString("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=10];\n")
	sb.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	overlay := g.Coverage != nil
	for _, c := range g.Clusters {
		writeDOTCluster(&sb, c, overlay)
	}
	if g.Legend != nil {
		writeDOTCluster(&sb, g.Legend, overlay)
	}
	for _, e := range g.Edges {
		var attrs []string
		if e.Label != "" {
			attrs = append(attrs, "label="+dotQuote(e.Label))
		}
		switch e.Style {
		case EdgeThick:
			attrs = append(attrs, "penwidth=2")
		case EdgeDotted:
			attrs = append(attrs, "style=dashed")
		}
		if overlay && !e.Never {
			c := dotUncoveredLine
			if e.Covered {
				c = dotCoveredLine
			}
			attrs = append(attrs, dotAttr("color", c), dotAttr("fontcolor", c))
		}
		fmt.Fprintf(&sb, "  %s -> %s%s;\n", dotQuote(e.From), dotQuote(e.To), dotAttrList(attrs))
	}
	sb.WriteString("}\n")
	_, err := io.WriteString(w, sb.String())
	return err
}

func writeDOTCluster(sb *strings.Builder, c *Cluster, overlay bool) {
	fmt.Fprintf(sb, "  subgraph %s {\n", dotQuote("cluster_"+c.ID))
	fmt.Fprintf(sb, "    label=%s;\n    style=rounded;\n    color=\"#90a4ae\";\n", dotQuote(c.Label))
	for _, n := range c.Nodes {
		attrs := append([]string{"label=" + dotQuote(strings.Join(n.Lines, "\n"))}, dotNodeAttrs(n, overlay)...)
		fmt.Fprintf(sb, "    %s%s;\n", dotQuote(n.ID), dotAttrList(attrs))
	}
	sb.WriteString("  }\n")
}

// dotNodeAttrs returns a node's shape and colours beyond the defaults.
func dotNodeAttrs(n *Node, overlay bool) []string {
	var a []string
	switch n.Kind {
	case NodeStart:
		return []string{"shape=circle", "style=filled", dotAttr("fillcolor", "#263238"), dotAttr("fontcolor", "#ffffff")}
	case NodeMissing:
		return []string{"style=\"dashed,filled\"", dotAttr("color", dotUncoveredLine), dotAttr("fillcolor", dotUncoveredFill), dotAttr("fontcolor", "#b71c1c")}
	case NodeFlowRef:
		return []string{"peripheries=2", "style=\"dashed,filled\"", dotAttr("color", "#1565c0")}
	case NodeLegend:
		return dotCoverageAttrs(n.Covered)
	case NodeNote:
		return []string{"style=filled"}
	case NodeExit:
		a = []string{"shape=cds", "style=filled", dotAttr("fillcolor", "#eceff1"), dotAttr("color", "#607d8b")}
	default:
		a = dotTypeAttrs(n.Type)
	}
	if overlay {
		a = append(a, dotCoverageAttrs(n.Covered)...)
		if n.Unreachable {
			a = append(a, dotAttr("style", "dashed,filled,rounded"))
		}
		return a
	}
	if n.Unreachable {
		a = append(a, dotAttr("style", "dashed,filled,rounded"), dotAttr("color", "#9e9e9e"), dotAttr("fillcolor", "#f5f5f5"), dotAttr("fontcolor", "#757575"))
	}
	return a
}

// dotTypeAttrs gives each block type its shape (matching the Mermaid ones).
func dotTypeAttrs(t flow.BlockType) []string {
	switch t {
	case flow.TypeAsk:
		return []string{"shape=parallelogram", "style=filled"}
	case flow.TypeSet:
		return []string{"style=filled"}
	case flow.TypeRedirect:
		return []string{"shape=hexagon", "style=filled", dotAttr("fillcolor", "#fff3e0"), dotAttr("color", "#e65100")}
	case flow.TypeTransfer:
		return []string{"peripheries=2", "style=filled", dotAttr("fillcolor", "#e3f2fd"), dotAttr("color", "#1565c0")}
	case flow.TypeEnd:
		return []string{"penwidth=2"}
	case "":
		return []string{"style=\"dashed,filled\""}
	}
	return nil
}

func dotCoverageAttrs(covered bool) []string {
	if covered {
		return []string{dotAttr("fillcolor", dotCoveredFill), dotAttr("color", dotCoveredLine)}
	}
	return []string{dotAttr("fillcolor", dotUncoveredFill), dotAttr("color", dotUncoveredLine)}
}

func dotAttr(k, v string) string { return k + "=" + dotQuote(v) }

func dotAttrList(attrs []string) string {
	if len(attrs) == 0 {
		return ""
	}
	return " [" + strings.Join(attrs, ", ") + "]"
}

// dotQuote makes s a DOT double-quoted string: backslashes and quotes are
// escaped, & becomes &amp; (Graphviz decodes entities such as &#35;), a
// newline becomes the centred line break \n, other control characters are
// dropped. Unicode passes through (DOT files are UTF-8).
func dotQuote(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\n':
			sb.WriteString(`\n`)
		case '&':
			sb.WriteString("&amp;") // Graphviz decodes HTML entities in labels
		default:
			if r < ' ' || r == 0x7f {
				continue
			}
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}
