package cmd

import (
	"context"
	"errors"
	"io"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/lsp"
	"github.com/spf13/cobra"
)

// lspOptions are lsp's flags.
type lspOptions struct {
	Stdio bool // --stdio: accepted for clients that pass it; stdio is the only transport
}

// newLSPCmd is flowctl lsp.
func newLSPCmd(f *Factory) *cobra.Command {
	opts := &lspOptions{}
	c := &cobra.Command{
		Use:   "lsp",
		Short: "Run the language server (LSP over stdio) for flow, test and config files",
		Long: `Run flowctl's language server: the Language Server Protocol over standard
input and output, for *.flow.yaml, *.test.yaml and flowctl.yaml. Editors start
it; see the README for VS Code, Neovim, Helix and Emacs.

Diagnostics are flowctl validate's findings (same rule ids, positions and
messages) on the unsaved text, with the settings of the nearest flowctl.yaml
above each file (or of --config): its org file checks queues offline. The
server uses the network only when that config sets online: true (with the
GENESYSCLOUD_* credentials) and names no org file, and then only when a file
is opened or saved. Also: completion, go to definition, references, rename,
document symbols, hover and quick fixes.

Only protocol messages go to standard output; logs go to standard error.

Exit status: 0 after the client's shutdown and exit (or Ctrl-C), 1 when the
client exits or closes the stream without shutdown, 2 usage error.`,
		Example: "  flowctl lsp",
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			return runLSP(f, opts)
		},
	}
	c.Flags().BoolVar(&opts.Stdio, "stdio", true, "talk over standard input and output (the only transport)")
	return c
}

func runLSP(f *Factory, _ *lspOptions) error {
	o := lsp.Options{Log: f.IO.ErrOut, Version: version(), Config: f.configFile}
	if genesys.HasCredentials(f.Getenv) {
		o.Online = func(ctx context.Context, names []string) (*genesys.Facts, error) {
			c, err := newGenesysClient(f, genesys.DefaultTimeout, false)
			if err != nil {
				return nil, err
			}
			facts, err := c.Facts(ctx, names)
			return facts, genesysFailure(err)
		}
	}
	err := lsp.Serve(f.Context, stdio{f.IO.In, f.IO.Out}, o)
	if errors.Is(err, lsp.ErrNoShutdown) {
		return &ExitError{Code: ExitFindings, Err: err}
	}
	return err
}

// stdio is the server's stream: standard input and output, which the
// server never closes.
type stdio struct {
	io.Reader
	io.Writer
}

func (stdio) Close() error { return nil }
