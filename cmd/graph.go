package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/spf13/cobra"
)

// graphFormats are the values of graph --format.
var graphFormats = []string{"mermaid", "dot"}

// graphOptions choose what writeGraph draws and how.
type graphOptions struct {
	// Format is "mermaid" (also when empty) or "dot".
	Format string
	// Flow draws only the named flow; "" draws every flow as a subgraph.
	Flow string
	// Covered turns on the coverage overlay when non-nil: a block, edge or
	// exit is covered when Covered[key] is true, with keys from
	// flow.Block.Key, flow.Edge.Key and flow.Exit.Key. An empty map draws
	// everything as not covered.
	Covered map[string]bool
}

// errUnknownGraphFormat is returned by writeGraph for a bad Format.
var errUnknownGraphFormat = errors.New("unknown graph format")

// writeGraph draws p as a Mermaid flowchart (no Markdown fence) or a
// Graphviz digraph. Blocks show id, type and a short text; edges their
// condition; redirects their queue and resume, with dotted onError and
// thick resume edges; closures (end-of-flow, inactivity, agent,
// genesys-timeout, handover-failed) are exit nodes; unreachable blocks are
// greyed and dashed. With opts.Covered the nodes and edges are green when
// covered and red when not, and a legend gives the counts. The output is
// deterministic. It fails only for an unknown opts.Format or opts.Flow, or
// when w fails.
//
// flowctl test --coverage --graph FILE uses it through writeGraphFile.
func writeGraph(w io.Writer, p *flow.Project, opts graphOptions) error {
	_, out, err := renderGraph(p, opts, false)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// writeGraphFile writes the graph to path. A path ending in .md or
// .markdown gets the graph inside a ```mermaid (or ```dot) fence, so that
// GitHub renders the Mermaid diagram; any other path gets the bare graph.
// Nothing is written when drawing fails.
func writeGraphFile(path string, p *flow.Project, opts graphOptions) error {
	_, out, err := renderGraph(p, opts, isMarkdownPath(path))
	if err != nil {
		return err
	}
	return writeFileAtomic(path, out)
}

// renderGraph draws p, inside a Markdown fence when fence is set, and
// returns the model with the bytes.
func renderGraph(p *flow.Project, opts graphOptions, fence bool) (*graphModel, []byte, error) {
	format := opts.Format
	if format == "" {
		format = "mermaid"
	}
	if !slices.Contains(graphFormats, format) {
		return nil, nil, fmt.Errorf("%w %q: want %s", errUnknownGraphFormat, format, strings.Join(graphFormats, " or "))
	}
	g, err := buildGraph(p, opts.Flow, opts.Covered)
	if err != nil {
		return nil, nil, err
	}
	var buf bytes.Buffer
	if fence {
		buf.WriteString("```" + format + "\n")
	}
	if format == "dot" {
		err = writeDOT(&buf, g)
	} else {
		err = writeMermaid(&buf, g)
	}
	if fence {
		buf.WriteString("```\n")
	}
	return g, buf.Bytes(), err
}

// Mermaid's default limits (maxEdges, maxTextSize), which GitHub keeps:
// a larger diagram does not render.
const (
	mermaidMaxEdges    = 500
	mermaidMaxTextSize = 50000
)

// mermaidTooLarge says why a Mermaid diagram will not render, or "".
func mermaidTooLarge(g *graphModel, size int) string {
	switch {
	case len(g.Edges) > mermaidMaxEdges:
		return fmt.Sprintf("%d edges (Mermaid draws at most %d)", len(g.Edges), mermaidMaxEdges)
	case size > mermaidMaxTextSize:
		return fmt.Sprintf("%d characters (Mermaid reads at most %d)", size, mermaidMaxTextSize)
	}
	return ""
}

func isMarkdownPath(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".markdown":
		return true
	}
	return false
}

type graphCmdOptions struct {
	Path   string
	Output string
	graphOptions
}

func newGraphCmd(f *Factory) *cobra.Command {
	opts := &graphCmdOptions{}
	c := &cobra.Command{
		Use:   "graph FLOW",
		Short: "Draw a flow file as a Mermaid flowchart or a Graphviz graph",
		Long: `Draw a flow file as a Mermaid flowchart (default) or, with --format dot,
a Graphviz digraph.

Every flow is a subgraph; --flow NAME draws one. Blocks show their id, type
and first text; edges their condition. A redirect shows its queue and whether
the bot resumes, a dotted "handover failed" edge to onError and a thick
"agent closed: resume" edge to next. Ways the session closes (end-of-flow,
inactivity, agent, genesys-timeout, handover-failed) are exit nodes.
Unreachable blocks are grey and dashed; transfers link to the other flow.

The graph goes to stdout without a Markdown fence. -o FILE writes it to a
file instead; a FILE ending in .md or .markdown gets a ` + "```mermaid" + ` (or
` + "```dot" + `) fence, so GitHub renders it.

A flow file with errors: the findings go to stderr, the graph of what could
be read is still written, and the exit status is 1. Exit status: 0 ok,
1 the file has errors, 2 usage error, 3 unreadable file or unwritable -o.`,
		Example: `  flowctl graph acme.flow.yaml
  flowctl graph acme.flow.yaml -o docs/acme.md
  flowctl graph --format dot acme.flow.yaml | dot -Tsvg > acme.svg
  flowctl graph --flow billing acme.flow.yaml`,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("graph takes one flow file, got %d arguments", len(args))
			}
			opts.Path = args[0]
			if !slices.Contains(graphFormats, opts.Format) {
				return usageErrorf("invalid --format %q: want %s", opts.Format, strings.Join(graphFormats, " or "))
			}
			if c.Flags().Changed("flow") && opts.Flow == "" {
				return usageErrorf("--flow needs a flow name")
			}
			return runGraph(f, opts)
		},
	}
	fl := c.Flags()
	fl.StringVarP(&opts.Format, "format", "f", "mermaid", "output format: "+strings.Join(graphFormats, " or "))
	fl.StringVar(&opts.Flow, "flow", "", "draw only this flow (default: every flow)")
	fl.StringVarP(&opts.Output, "output", "o", "", "write to FILE (fenced for .md) instead of stdout")
	_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(graphFormats, cobra.ShellCompDirectiveNoFileComp))
	return c
}

func runGraph(f *Factory, opts *graphCmdOptions) error {
	p, err := flow.Load(opts.Path)
	if err != nil {
		return failuref("cannot read %s: %v", opts.Path, flow.PathErrorCause(err))
	}
	var errs []flow.Finding
	for _, fd := range flow.Validate(p, flow.Options{}) {
		if fd.Severity == flow.SeverityError {
			errs = append(errs, fd)
		}
	}
	if opts.Flow != "" && len(p.Flows) > 0 && p.Flow(opts.Flow) == nil {
		return usageErrorf("--flow: %v", unknownFlowError(p, opts.Flow))
	}
	for _, fd := range errs {
		fmt.Fprintln(f.IO.ErrOut, fd.String())
	}
	if len(p.Flows) == 0 { // the schema requires flows: there are errors
		return &ExitError{Code: ExitFindings, Err: fmt.Errorf("%s: %s; nothing to graph", opts.Path, plural(len(errs), "error"))}
	}
	g, out, err := renderGraph(p, opts.graphOptions, opts.Output != "" && isMarkdownPath(opts.Output))
	if err != nil {
		return failure(err)
	}
	if opts.Output != "" {
		if err := writeFileAtomic(opts.Output, out); err != nil {
			return failuref("cannot write %s: %v", opts.Output, flow.PathErrorCause(err))
		}
	} else if _, err := f.IO.Out.Write(out); err != nil {
		return failure(err)
	}
	if opts.Format == "mermaid" {
		if why := mermaidTooLarge(g, len(out)); why != "" {
			fmt.Fprintf(f.IO.ErrOut, "flowctl: warning: the diagram has %s and will not render on GitHub; draw one flow with --flow NAME or use --format dot\n", why)
		}
	}
	if len(errs) > 0 {
		return &ExitError{Code: ExitFindings, Err: fmt.Errorf("%s: %s; the graph shows what could be read", opts.Path, plural(len(errs), "error"))}
	}
	return nil
}
