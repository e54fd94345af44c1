package cmd

import (
	"fmt"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/graph"
	"github.com/flowctl/flowctl/internal/words"
	"github.com/spf13/cobra"
)

// writeGraphFile writes the graph to path through a temporary file. A path
// ending in .md or .markdown gets the graph inside a Markdown fence, so that
// GitHub renders the Mermaid diagram; any other path gets the bare graph.
// Nothing is written when drawing fails.
func writeGraphFile(path string, p *flow.Project, opts graph.Options) error {
	opts.Markdown = graph.IsMarkdownPath(path)
	_, out, err := graph.Render(p, opts)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, out)
}

// graphCmdOptions are graph's argument and flags.
type graphCmdOptions struct {
	Path          string // the flow file
	Output        string // -o FILE instead of stdout
	graph.Options        // --format, --flow
}

// newGraphCmd is flowctl graph FLOW.
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
		Args: oneFlowFile,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Path = args[0]
			if c.Flags().Changed("flow") && opts.Flow == "" {
				return usageErrorf("--flow needs a flow name")
			}
			return runGraph(f, opts)
		},
	}
	fl := c.Flags()
	addEnumFlag(c, fl, &opts.Format, enumFlag{Name: "format", Short: "f", Default: graph.Formats[0], Values: graph.Formats, Or: true, Usage: "output format: %s"})
	fl.StringVar(&opts.Flow, "flow", "", "draw only this flow (default: every flow)")
	fl.StringVarP(&opts.Output, "output", "o", "", "write to FILE (fenced for .md) instead of stdout")
	return c
}

func runGraph(f *Factory, opts *graphCmdOptions) error {
	p, errs, err := loadFlow(opts.Path)
	if err != nil {
		return err
	}
	if opts.Flow != "" && len(p.Flows) > 0 {
		if err := graph.CheckFlow(p, opts.Flow); err != nil {
			return usageErrorf("--flow: %v", err)
		}
	}
	printFindings(f, errs)
	if len(p.Flows) == 0 { // the schema requires flows: there are errors
		return &ExitError{Code: ExitFindings, Err: fmt.Errorf("%s: %s; nothing to graph", opts.Path, words.Plural(len(errs), "error"))}
	}
	if opts.Output != "" {
		if err := prepareOutput("--output", opts.Output, "graph.md"); err != nil {
			return err
		}
	}
	opts.Markdown = opts.Output != "" && graph.IsMarkdownPath(opts.Output)
	g, out, err := graph.Render(p, opts.Options)
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
		if why := g.MermaidTooLarge(len(out)); why != "" {
			fmt.Fprintf(f.IO.ErrOut, "flowctl: warning: the diagram has %s and will not render on GitHub; draw one flow with --flow NAME or use --format dot\n", why)
		}
	}
	if len(errs) > 0 {
		return &ExitError{Code: ExitFindings, Err: fmt.Errorf("%s: %s; the graph shows what could be read", opts.Path, words.Plural(len(errs), "error"))}
	}
	return nil
}
