package cmd

import (
	"fmt"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/words"
	"github.com/flowctl/flowctl/simulate"
	"github.com/spf13/cobra"
)

// exploreFormats are the values of simulate --explore --format.
var exploreFormats = []string{"text", "json"}

// simulateOptions are simulate's argument and flags.
type simulateOptions struct {
	orgFlags        // --org: resolve handovers against this org file; --client
	Flow     string // the flow file
	Record   string // --record: write the session as a test file
	Explore  bool   // --explore: walk every path instead of a conversation
	Format   string // --format of --explore: text or json
}

// newSimulateCmd is flowctl simulate FLOW.
func newSimulateCmd(f *Factory) *cobra.Command {
	opts := &simulateOptions{}
	c := &cobra.Command{
		Use:   "simulate FLOW",
		Short: "Talk to a flow on a virtual clock, or explore every path",
		Long: `Talk to a flow: type what the user says; slash commands play the agent and
the clock. Time is virtual: /wait 20m fires due timers at once.

` + simulate.CommandHelp + `

On a terminal this is a REPL. When standard input is not a terminal the same
lines are read one by one (printf 'hi\n/wait 20m\n' | flowctl simulate f.yaml)
and the transcript is printed plain; a line that cannot be applied (a bad
command, an agent event with no agent, a message after the session closed)
is reported on stderr with its line number, the rest still runs, and the
exit status is 1.

Handovers succeed for every queue unless --org gives an org file: then the
queue must exist under that exact name in a division the OAuth client may
see, with the handover permissions. The project config's org (flowctl.yaml)
is the default of --org.

--record FILE writes the session as a test file for flowctl test when it
ends (/quit, end of input or Ctrl-C); a missing folder is created, and a
FILE that cannot be written is refused before the session starts.
--explore walks every path instead (see flowctl help simulate).

Exit status: 0 ok, 1 the flow does not validate (or a piped line failed,
or --explore found paths that cannot terminate), 2 usage error,
3 unreadable flow or org file, or --record cannot be written.`,
		Example: `  flowctl simulate acme.flow.yaml
  printf 'agent please\nAnn\n/agent join\n/agent close\n/wait 20m\n' | flowctl simulate acme.flow.yaml
  flowctl simulate --record tests/handover.test.yaml acme.flow.yaml
  flowctl simulate --explore --format json acme.flow.yaml`,
		Args: oneFlowFile,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Flow = args[0]
			if c.Flags().Changed("format") && !opts.Explore {
				return usageErrorf("--format goes with --explore")
			}
			if opts.Explore && opts.Record != "" {
				return usageErrorf("--record records a conversation; it does not go with --explore")
			}
			return runSimulate(f, opts)
		},
	}
	fl := c.Flags()
	addOrgFlags(c, &opts.orgFlags, "resolve handovers against this org file (queues, divisions, permissions)")
	fl.StringVar(&opts.Record, "record", "", "write the session as a test file (*.test.yaml)")
	fl.BoolVar(&opts.Explore, "explore", false, "walk every path and report closures, coverage and loops")
	addEnumFlag(c, fl, &opts.Format, enumFlag{Name: "format", Short: "f", Default: "text", Values: exploreFormats, Or: true, Usage: "with --explore: %s"})
	useConfig(c, f, func(pc *projectConfig, flagSet func(string) bool) bool {
		pc.applyOrg(&opts.orgFlags, flagSet)
		return false
	})
	return c
}

func runSimulate(f *Factory, opts *simulateOptions) error {
	p, err := loadValidFlow(f, opts.Flow)
	if err != nil {
		return err
	}
	var resolver simulate.QueueResolver
	if opts.OrgFile != "" {
		r, err := loadOrgResolver(opts.orgFlags)
		if err != nil {
			return orgError(err)
		}
		resolver = r
	}
	if opts.Explore {
		return runExplore(f, p, resolver, opts.Format)
	}
	if opts.Record != "" {
		if err := prepareOutput("--record", opts.Record, "session.test.yaml"); err != nil {
			return err
		}
	}
	return runConversation(f, p, resolver, opts)
}

// loadValidFlow loads a flow file; when it has errors they are printed to
// stderr (file:line:col) and the result is exit 1.
func loadValidFlow(f *Factory, path string) (*flow.Project, error) {
	p, errs, err := loadFlow(path)
	if err != nil {
		return nil, err
	}
	if len(errs) == 0 {
		return p, nil
	}
	if err := notAFlow(path, p.Source); err != nil {
		return nil, err
	}
	printFindings(f, errs)
	return nil, &ExitError{Code: ExitFindings, Err: fmt.Errorf("%s has %s; fix it before simulating (flowctl validate %s)", path, words.Plural(len(errs), "error"), path)}
}
