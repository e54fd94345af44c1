package cmd

import (
	"context"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/report"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"
)

// validateOptions are validate's arguments and flags.
type validateOptions struct {
	Paths  []string          // flow files and directories (default: .)
	Format string            // --format: one of report.ValidationFormats
	Strict bool              // --strict: warnings fail too
	Enable []string          // --enable: optional rules to run
	Queues queueCheckOptions // --org, --client, --offline, --timeout
	// Config is the project config; a bad one's findings are reported
	// with the flows' (and its settings are not used).
	Config *projectConfig
}

// newValidateCmd is flowctl validate [PATH...].
func newValidateCmd(f *Factory) *cobra.Command {
	opts := &validateOptions{}
	c := &cobra.Command{
		Use:   "validate [PATH...]",
		Short: "Check flow files: schema, flow logic and Redirect queues",
		Long: `Check flow files: schema, flow logic, and Redirect targets against Genesys.

PATH is a flow file or a directory, searched recursively for *.flow.yaml
(default: the current directory). Every problem of every file is reported at
its file:line:col with a rule id.

Queue checks (queue-not-found, queue-name-mismatch, queue-division-not-permitted,
missing-permission) run against an org file with --org, or online when the
GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and
GENESYSCLOUD_REGION variables are set; otherwise they are skipped.

The project config (the nearest flowctl.yaml, or --config) gives the
defaults of --org, --client, --enable and --strict; flags win. A bad config
file is reported with the flows' findings, and its settings are not used.

--strict makes warnings fail the run: every format then reports them as
failures (junit <failure>, sarif level error, github ::error, json
"strict": true with "failing": N, a text summary saying so).

Exit status: 0 no errors (and no warnings with --strict), 1 findings,
2 usage error, 3 unreadable input or Genesys failure.`,
		Example: `  flowctl validate flows/
  flowctl validate --org org.yaml --format github flows/
  flowctl validate --strict --format sarif flows/ > flowctl.sarif`,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Paths = args
			if len(opts.Paths) == 0 {
				opts.Paths = []string{"."}
			}
			return runValidate(f, opts)
		},
	}
	fl := c.Flags()
	addEnumFlag(c, fl, &opts.Format, enumFlag{Name: "format", Short: "f", Default: "text", Values: report.ValidationFormats, Usage: "output format: %s"})
	fl.BoolVar(&opts.Strict, "strict", false, "fail (exit 1) on warnings too")
	fl.StringSliceVar(&opts.Enable, "enable", nil, "turn on optional (heuristic) rules, e.g. undefined-memory")
	addFlagCheck(c, func() error {
		if err := flow.CheckEnable(opts.Enable); err != nil {
			return usageErrorf("--enable: %v", err)
		}
		return nil
	})
	addOrgFlags(c, &opts.Queues.orgFlags, "check queues against this org file (offline; wins over credentials)")
	fl.BoolVar(&opts.Queues.Offline, "offline", false, "never contact Genesys: queue checks run only with --org")
	addTimeoutFlag(fl, &opts.Queues.Timeout, genesys.DefaultTimeout, "per-request timeout for Genesys Cloud (online queue checks)")
	useConfig(c, f, func(pc *projectConfig, flagSet func(string) bool) bool {
		opts.Config = pc
		if pc.Config == nil || len(pc.Findings) > 0 {
			return true
		}
		pc.applyOrg(&opts.Queues.orgFlags, flagSet)
		if pc.Set("enable") && !flagSet("enable") {
			opts.Enable = pc.Enable
		}
		if pc.Set("strict") && !flagSet("strict") {
			opts.Strict = pc.Strict
		}
		return true
	})
	return c
}

func runValidate(f *Factory, opts *validateOptions) error {
	// A validate run is short and allocation-heavy: trade memory for less
	// garbage collection.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	files, err := findFiles(f.Context, opts.Paths, flowFiles)
	if err != nil {
		return err
	}
	projects, readErrs, err := loadProjects(f.Context, files)
	if err != nil {
		return err
	}
	if err := f.Context.Err(); err != nil {
		return failure(err)
	}

	var all []flow.Finding
	var loaded []*flow.Project
	for _, p := range projects {
		if p != nil {
			loaded = append(loaded, p)
		}
	}
	queues, mode, queueErr := resolveQueues(f.Context, f, opts.Queues, flow.QueueNames(loaded...))
	if queueErr != nil {
		if code, _ := exitCode(queueErr); code == ExitUsage {
			return queueErr
		}
		// Genesys (or the org file) failed: the flow findings still count,
		// so report them with the queue checks marked as failed.
		queues, mode = nil, report.QueueChecksFailed
	}
	perFile := make([][]flow.Finding, len(loaded))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, p := range loaded {
		goSafe(&g, func() {
			if f.Context.Err() != nil {
				return
			}
			perFile[i] = flow.CheckProject(p, flow.Options{Enable: opts.Enable}, queues)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := f.Context.Err(); err != nil {
		return failure(err)
	}
	sources := make(map[string][]byte, len(loaded))
	for i, p := range loaded {
		all = append(all, perFile[i]...)
		sources[p.File] = p.Source
	}
	if pc := opts.Config; pc != nil && len(pc.Findings) > 0 {
		files = append([]string{pc.File}, files...)
		all = append(all, pc.Findings...)
		sources[pc.File] = pc.Source
	}
	all = flow.SortFindings(all)
	r := &report.Validation{Files: files, Findings: all, QueueChecks: mode, Sources: sources, Unreadable: readErrs, Strict: opts.Strict, Offline: opts.Queues.Offline, ToolVersion: version()}
	r.Errors, r.Warnings = flow.Count(all)
	if queueErr != nil {
		_, r.QueueError = exitCode(queueErr)
	}

	// One error carries every operational failure; otherwise findings decide.
	var fail error
	if len(readErrs) > 0 || queueErr != nil {
		var msgs []string
		for _, e := range readErrs {
			msgs = append(msgs, e.Message)
		}
		if queueErr != nil {
			msgs = append(msgs, r.QueueError)
		}
		fail = failuref("%s", strings.Join(msgs, "\n"))
	} else if r.Failing() > 0 {
		fail = errFindings
	}
	r.ExitCode, _ = exitCode(fail)

	if err := report.WriteValidation(f.IO.Out, f.IO.ErrOut, opts.Format, newStyles(f.IO), f.IO.IsStdoutTTY(), r); err != nil {
		return failure(err)
	}
	return fail
}

// loadProjects loads files concurrently; the result is in file order. A file
// that cannot be read gives a nil project and a read error; err is a panic
// in a loader. Once ctx is done no further file is loaded (the caller
// checks ctx).
func loadProjects(ctx context.Context, files []string) ([]*flow.Project, []report.ReadError, error) {
	projects := make([]*flow.Project, len(files))
	errs := make([]error, len(files))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0) * 2)
	for i, file := range files {
		if ctx.Err() != nil {
			break
		}
		goSafe(&g, func() {
			if ctx.Err() == nil {
				projects[i], errs[i] = flow.Load(file)
			}
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	var out []report.ReadError
	for i, err := range errs {
		if err != nil {
			out = append(out, report.ReadError{File: files[i], Message: cannotRead(files[i], err)})
		}
	}
	return projects, out, nil
}
