package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/flowctl/flowctl/config"
	"github.com/flowctl/flowctl/internal/words"
	"github.com/spf13/cobra"
)

// Factory holds what commands depend on, so tests can replace it.
type Factory struct {
	IO     *IOStreams
	Getenv func(string) string
	// Context is the context commands run under (cancelled on Ctrl-C).
	Context context.Context

	// configFile is --config: the project config file to use instead of
	// the nearest flowctl.yaml.
	configFile string
}

// Main runs flowctl with args and returns the exit code. It calls os.Exit
// only for a second Ctrl-C or SIGTERM, when the first did not stop the
// command (see signalContext).
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signalContext(stderr, os.Exit)
	defer stop()
	f := &Factory{
		Getenv:  os.Getenv,
		Context: ctx,
	}
	f.IO = newIOStreams(stdin, stdout, stderr, f.Getenv)
	return run(f, args)
}

// run executes the root command against a prepared factory.
func run(f *Factory, args []string) int {
	return execute(f, newRootCmd(f), args)
}

// execute runs root with args and reports the outcome. A panic in the
// command is an internal error (exit 3), reported in one line.
func execute(f *Factory, root *cobra.Command, args []string) (code int) {
	defer func() {
		if v := recover(); v != nil {
			code = reportError(f, recovered(v), root)
		}
	}()
	root.SetArgs(args)
	c, err := root.ExecuteContextC(f.Context)
	return reportError(f, interrupted(f.Context, err), c)
}

// reportError prints what err says and returns its exit code: each of its
// lines prefixed "flowctl: " (an error carrying several failures, such as
// every unreadable file, has one line each), indented lines (the problems
// of an invalid org file) as they are. A usage error points at the help of
// c, the command that refused its command line (Run 'flowctl validate
// --help' for usage.).
func reportError(f *Factory, err error, c *cobra.Command) int {
	code, msg := exitCode(err)
	if msg != "" {
		for line := range strings.SplitSeq(msg, "\n") {
			if line != "" && line[0] != ' ' && line[0] != '\t' {
				line = "flowctl: " + line
			}
			fmt.Fprintln(f.IO.ErrOut, line)
		}
		if code == ExitUsage {
			path := "flowctl"
			if c != nil {
				path = c.CommandPath()
			}
			fmt.Fprintf(f.IO.ErrOut, "Run '%s --help' for usage.\n", path)
		}
	}
	return code
}

func newRootCmd(f *Factory) *cobra.Command {
	var color string
	root := &cobra.Command{
		Use:   "flowctl",
		Short: "Validate, simulate, test and serve chatbot flows that hand chats to Genesys Cloud",
		Long: `flowctl checks chatbot flows (YAML) that hand web chats over to live agents in
Genesys Cloud queues: schema and flow logic, Redirect queues against a real org
or an org snapshot, conversations on a virtual clock, and a local web bridge.

Exit codes: 0 ok, 1 findings (invalid flows, failed tests, unreachable queue),
2 usage error, 3 operational failure (network, authentication, unreadable input)
or internal error. Ctrl-C (or SIGTERM) stops a command: "flowctl: interrupted",
exit 130 (143 for SIGTERM); a second one exits at once. serve stops gracefully
(exit 0), and Ctrl-C in the simulate REPL ends the session like /quit.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       version(),
		PersistentPreRunE: func(c *cobra.Command, _ []string) error {
			f.IO.setColor(color, f.Getenv)
			return nil
		},
		// An argument that names no command is an unknown command, with
		// a suggestion on the same line: the root never runs with
		// arguments.
		Args: subcommandArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return c.Help()
		},
	}
	addEnumFlag(root, root.PersistentFlags(), &color, enumFlag{Name: "color", Default: "auto", Values: []string{"auto", "always", "never"}, Or: true, Usage: "colour output: %s (NO_COLOR disables)"})
	root.PersistentFlags().StringVar(&f.configFile, "config", "", "project config file (default: the nearest "+config.FileName+" from the current directory up)")
	root.SetVersionTemplate("flowctl {{.Version}}\n")
	root.SetFlagErrorFunc(flagError)
	root.CompletionOptions.HiddenDefaultCmd = false
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out) // before the completion command, which keeps it
	root.SetErr(f.IO.ErrOut)

	root.AddCommand(
		newValidateCmd(f),
		newSimulateCmd(f),
		newTestCmd(f),
		newGraphCmd(f),
		newSchemaCmd(f),
		newCheckQueueCmd(f),
		newServeCmd(f),
		newOrgCmd(f),
		newLSPCmd(f),
		newVersionCmd(f),
	)
	// cobra's completion command shows its help for any argument, exit 0:
	// an unknown shell is a usage error instead.
	root.InitDefaultCompletionCmd()
	if comp, _, err := root.Find([]string{"completion"}); err == nil && comp != root {
		comp.Args = completionArgs
		comp.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
	}
	return root
}

// subcommandArgs is the positional-argument check of a command that only
// groups others (flowctl, flowctl org): an argument is an unknown command,
// named in one line with cobra's suggestions ("did you mean").
func subcommandArgs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2
	}
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + words.QuotedList(s, "or") + "?"
	}
	return usageErrorf("%s", msg)
}

// completionArgs refuses an argument of flowctl completion: each shell is
// a subcommand, so an argument here names no shell flowctl knows.
func completionArgs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	var shells []string
	for _, s := range c.Commands() {
		if s.IsAvailableCommand() {
			shells = append(shells, s.Name())
		}
	}
	return usageErrorf("unknown shell %q for %q: want %s", args[0], c.CommandPath(), strings.Join(shells, ", "))
}

// usageArgs makes the errors of a cobra positional-argument check usage
// errors (exit 2).
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if err := check(c, args); err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
		return nil
	}
}

// oneFlowFile is the positional-argument check of a command that takes one
// flow file (simulate, serve, graph).
func oneFlowFile(c *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usageErrorf("%s takes one flow file, got %s", c.Name(), words.Plural(len(args), "argument"))
	}
	return nil
}
