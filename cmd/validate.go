package cmd

import (
	"context"
	"os"
	"runtime"
	"slices"
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

// queueChecksRun reports whether resolveQueues will check queues (against
// an org file, or online), not skip them.
func queueChecksRun(f *Factory, opts queueCheckOptions) bool {
	return opts.OrgFile != "" || (!opts.Offline && genesys.HasCredentials(f.Getenv))
}

func runValidate(f *Factory, opts *validateOptions) error {
	files, err := findFiles(f.Context, opts.Paths, flowFiles)
	if err != nil {
		return err
	}
	defer tuneGC(os.Getenv, files)()
	// What each file keeps once checked: its redirects only when queue
	// checks run, its source lines only for snippets (text on a terminal,
	// see writeFindings).
	keepRedirects := queueChecksRun(f, opts.Queues)
	keepLines := opts.Format == "text" && f.IO.IsStdoutTTY()
	checked, readErrs, err := checkFiles(f.Context, files, flow.Options{Enable: opts.Enable}, func(c *flow.Checked) {
		c.Trim(keepRedirects, keepLines)
	})
	if err != nil {
		return err
	}
	if err := f.Context.Err(); err != nil {
		return failure(err)
	}

	queues, mode, queueErr := resolveQueues(f.Context, f, opts.Queues, flow.CheckedQueueNames(checked...))
	if queueErr != nil {
		if code, _ := exitCode(queueErr); code == ExitUsage {
			return queueErr
		}
		// Genesys (or the org file) failed: the flow findings still count,
		// so report them with the queue checks marked as failed.
		queues, mode = nil, report.QueueChecksFailed
	}
	var all []flow.Finding
	lines := make(map[string]map[int]string, len(checked))
	for _, c := range checked {
		all = append(all, c.Findings(queues)...)
		lines[c.File] = c.SourceLines()
	}
	if pc := opts.Config; pc != nil && len(pc.Findings) > 0 {
		files = append([]string{pc.File}, files...)
		all = append(all, pc.Findings...)
		lines[pc.File] = map[int]string{}
		for _, f := range pc.Findings {
			lines[pc.File][f.Line] = flow.SourceLine(pc.Source, f.Line)
		}
	}
	all = flow.SortFindings(all)
	r := &report.Validation{Files: files, Findings: all, QueueChecks: mode, Lines: lines, Unreadable: readErrs, Strict: opts.Strict, Offline: opts.Queues.Offline, ToolVersion: version()}
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

// loadFlowFile loads one flow file for validate (a seam for tests).
var loadFlowFile = flow.Load

// checkFiles loads and checks files concurrently, each in one task that
// keeps only what the report needs (flow.Checked: findings, redirects,
// source lines; trimmed by trim) and drops the model, so memory does not
// grow with the number of files. The result is in file order, without the files that could not
// be read, which are the read errors; err is a panic in a task. Once ctx is
// done no further file is loaded and checkFiles returns at once, leaving
// the files in hand to finish unseen (the caller checks ctx and ends the
// command: a signal does not wait for a large file's parse).
func checkFiles(ctx context.Context, files []string, opts flow.Options, trim func(*flow.Checked)) ([]*flow.Checked, []report.ReadError, error) {
	checked := make([]*flow.Checked, len(files))
	errs := make([]error, len(files))
	// The files are handed out and waited for in the background, so that
	// a signal is seen even while every slot is busy parsing.
	waited := make(chan error, 1)
	go func() {
		var g errgroup.Group
		g.SetLimit(runtime.GOMAXPROCS(0))
		for i, file := range files {
			if ctx.Err() != nil {
				break
			}
			goSafe(&g, func() {
				if ctx.Err() != nil {
					return
				}
				p, err := loadFlowFile(file)
				if err != nil {
					errs[i] = err
					return
				}
				checked[i] = flow.Check(p, opts)
				trim(checked[i])
			})
		}
		waited <- g.Wait()
	}()
	select {
	case err := <-waited:
		if err != nil {
			return nil, nil, err
		}
	case <-ctx.Done():
		return nil, nil, nil
	}
	var out []report.ReadError
	for i, err := range errs {
		if err != nil {
			out = append(out, report.ReadError{File: files[i], Message: cannotRead(files[i], err)})
		}
	}
	return slices.DeleteFunc(checked, func(c *flow.Checked) bool { return c == nil }), out, nil
}
