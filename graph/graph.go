package graph

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/flow"
)

// Formats are the output formats, the default first.
var Formats = []string{"mermaid", "dot"}

// Options choose what Render draws and how.
type Options struct {
	// Format is "mermaid" (also when empty) or "dot".
	Format string
	// Flow draws only the named flow; "" draws every flow as a subgraph.
	Flow string
	// Covered turns on the coverage overlay when non-nil: a block, edge or
	// exit is covered when Covered[key] is true, with keys from
	// flow.Block.Key, flow.Edge.Key and flow.Exit.Key. An empty map draws
	// everything as not covered.
	Covered map[string]bool
	// Markdown puts the graph inside a ```mermaid (or ```dot) fence, so
	// that GitHub renders the Mermaid diagram.
	Markdown bool
}

// ErrUnknownFormat is returned by Render for a bad Options.Format.
var ErrUnknownFormat = errors.New("unknown graph format")

// Render draws p as a Mermaid flowchart or a Graphviz digraph and returns
// the model with the bytes. Blocks show id, type and a short text; edges
// their condition; redirects their queue and resume, with dotted onError
// and thick resume edges; closures (end-of-flow, inactivity, agent,
// genesys-timeout, handover-failed) are exit nodes; unreachable blocks are
// greyed and dashed. With opts.Covered the nodes and edges are green when
// covered and red when not, and a legend gives the counts. The output is
// deterministic. It fails only for an unknown opts.Format or opts.Flow.
func Render(p *flow.Project, opts Options) (*Graph, []byte, error) {
	format := opts.Format
	if format == "" {
		format = Formats[0]
	}
	if !slices.Contains(Formats, format) {
		return nil, nil, fmt.Errorf("%w %q: want %s", ErrUnknownFormat, format, strings.Join(Formats, " or "))
	}
	g, err := build(p, opts.Flow, opts.Covered)
	if err != nil {
		return nil, nil, err
	}
	var buf bytes.Buffer
	if opts.Markdown {
		buf.WriteString("```" + format + "\n")
	}
	if format == "dot" {
		err = writeDOT(&buf, g)
	} else {
		err = writeMermaid(&buf, g)
	}
	if opts.Markdown {
		buf.WriteString("```\n")
	}
	return g, buf.Bytes(), err
}

// Write draws p to w (see Render).
func Write(w io.Writer, p *flow.Project, opts Options) error {
	_, out, err := Render(p, opts)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// CheckFlow returns the error Render gives for Options.Flow name when p
// has no such flow, naming the flows it has; nil when it has.
func CheckFlow(p *flow.Project, name string) error {
	if p.Flow(name) != nil {
		return nil
	}
	return unknownFlowError(p, name)
}

// IsMarkdownPath reports whether a file of this name wants a Markdown
// fence (Options.Markdown): it ends in .md or .markdown.
func IsMarkdownPath(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".markdown":
		return true
	}
	return false
}

// FormatOfPath is the format a file of this name holds: dot for .dot and
// .gv, else mermaid.
func FormatOfPath(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".dot", ".gv":
		return "dot"
	}
	return "mermaid"
}

// Mermaid's default limits (maxEdges, maxTextSize), which GitHub keeps:
// a larger diagram does not render.
const (
	MermaidMaxEdges    = 500
	MermaidMaxTextSize = 50000
)

// MermaidTooLarge says why g, drawn as size bytes of Mermaid, will not
// render, or "".
func (g *Graph) MermaidTooLarge(size int) string {
	switch {
	case len(g.Edges) > MermaidMaxEdges:
		return fmt.Sprintf("%d edges (Mermaid draws at most %d)", len(g.Edges), MermaidMaxEdges)
	case size > MermaidMaxTextSize:
		return fmt.Sprintf("%d characters (Mermaid reads at most %d)", size, MermaidMaxTextSize)
	}
	return ""
}
