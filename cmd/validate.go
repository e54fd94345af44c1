package cmd

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"
)

// queueChecksFailed is the queue check mode when Genesys (or the org file)
// failed: the flow findings are reported, the queue rules did not run.
const queueChecksFailed = "failed"

// validateFormats are the values of validate --format.
var validateFormats = []string{"text", "json", "junit", "sarif", "github"}

type validateOptions struct {
	Paths  []string
	Format string
	Strict bool
	Enable []string
	Queues queueCheckOptions
}

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
			if !slices.Contains(validateFormats, opts.Format) {
				return usageErrorf("invalid --format %q: want %s", opts.Format, strings.Join(validateFormats, ", "))
			}
			if err := flow.CheckEnable(opts.Enable); err != nil {
				return usageErrorf("--enable: %v", err)
			}
			if opts.Queues.Client != "" && opts.Queues.OrgFile == "" {
				return usageErrorf("--client names a client of the org file: use it with --org")
			}
			return runValidate(f, opts)
		},
	}
	fl := c.Flags()
	fl.StringVarP(&opts.Format, "format", "f", "text", "output format: "+strings.Join(validateFormats, ", "))
	fl.BoolVar(&opts.Strict, "strict", false, "fail (exit 1) on warnings too")
	fl.StringSliceVar(&opts.Enable, "enable", nil, "turn on optional (heuristic) rules, e.g. undefined-memory")
	fl.StringVar(&opts.Queues.OrgFile, "org", "", "check queues against this org file (offline; wins over credentials)")
	fl.StringVar(&opts.Queues.Client, "client", "", "with --org: the OAuth client (name or id) when the org file has several")
	fl.BoolVar(&opts.Queues.Offline, "offline", false, "never contact Genesys: queue checks run only with --org")
	addTimeoutFlag(c, &opts.Queues)
	_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(validateFormats, cobra.ShellCompDirectiveNoFileComp))
	return c
}

// validateReport is what every output format renders.
type validateReport struct {
	Files       []string // every file checked, in order (unreadable ones included)
	Findings    []flow.Finding
	Errors      int
	Warnings    int
	QueueChecks string            // online, org, skipped or failed
	Sources     map[string][]byte // file -> bytes, for snippets
	Unreadable  []readError       // files that could not be read, in file order
	QueueError  string            // why the queue checks failed (QueueChecks == failed)
	ExitCode    int               // the exit code the run ends with
}

// readError is a file that could not be read or loaded.
type readError struct {
	File    string
	Message string // "cannot read FILE: cause"
}

func runValidate(f *Factory, opts *validateOptions) error {
	// A validate run is short and allocation-heavy: trade memory for less
	// garbage collection.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	files, err := findFiles(opts.Paths, flowFiles)
	if err != nil {
		return err
	}
	projects, readErrs := loadProjects(f.Context, files)
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
	report, mode, queueErr := resolveQueues(f.Context, f, opts.Queues, flow.QueueNames(loaded...))
	if queueErr != nil {
		if code, _ := exitCode(queueErr); code == ExitUsage {
			return queueErr
		}
		// Genesys (or the org file) failed: the flow findings still count,
		// so report them with the queue checks marked as failed.
		report, mode = nil, queueChecksFailed
	}
	perFile := make([][]flow.Finding, len(loaded))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, p := range loaded {
		g.Go(func() error {
			if f.Context.Err() != nil {
				return nil
			}
			fs := flow.Validate(p, flow.Options{Enable: opts.Enable})
			perFile[i] = append(fs, flow.QueueFindings(p, report)...)
			return nil
		})
	}
	_ = g.Wait()
	if err := f.Context.Err(); err != nil {
		return failure(err)
	}
	sources := make(map[string][]byte, len(loaded))
	for i, p := range loaded {
		all = append(all, perFile[i]...)
		sources[p.File] = p.Source
	}
	all = flow.SortFindings(all)
	r := &validateReport{Files: files, Findings: all, QueueChecks: mode, Sources: sources, Unreadable: readErrs}
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
	} else if r.Errors > 0 || (opts.Strict && r.Warnings > 0) {
		fail = errFindings
	}
	r.ExitCode, _ = exitCode(fail)

	if err := writeFindings(f, opts.Format, r); err != nil {
		return failure(err)
	}
	return fail
}

// loadProjects loads files concurrently; the result is in file order. A file
// that cannot be read gives a nil project and a read error. Once ctx is
// done no further file is loaded (the caller checks ctx).
func loadProjects(ctx context.Context, files []string) ([]*flow.Project, []readError) {
	projects := make([]*flow.Project, len(files))
	errs := make([]error, len(files))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0) * 2)
	for i, file := range files {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if ctx.Err() == nil {
				projects[i], errs[i] = flow.Load(file)
			}
			return nil
		})
	}
	_ = g.Wait()
	var out []readError
	for i, err := range errs {
		if err != nil {
			out = append(out, readError{File: files[i], Message: fmt.Sprintf("cannot read %s: %v", files[i], flow.PathErrorCause(err))})
		}
	}
	return projects, out
}
