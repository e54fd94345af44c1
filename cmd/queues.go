package cmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
	"github.com/spf13/cobra"
)

// Queue check modes reported in validate's summary.
const (
	queueChecksOnline  = "online"
	queueChecksOrg     = "org"
	queueChecksSkipped = "skipped"
)

// queueCheckOptions are validate's flags that choose where queue facts come from.
type queueCheckOptions struct {
	OrgFile string // --org: offline org snapshot; takes precedence over credentials
	Client  string // --client: the org file's OAuth client (name or id)
	Offline bool   // --offline: never contact Genesys
	// Timeout is --timeout: the per-request timeout of online checks.
	Timeout time.Duration
}

// addTimeoutFlag registers validate's --timeout for online queue checks.
func addTimeoutFlag(c *cobra.Command, opts *queueCheckOptions) {
	c.Flags().DurationVar(&opts.Timeout, "timeout", genesys.DefaultTimeout, "per-request timeout for Genesys Cloud (online queue checks)")
}

// resolveQueues looks up each distinct queue name once and returns the
// report for flow.QueueFindings with the mode for the summary. With no org
// file and no credentials (or --offline without --org) the checks are
// skipped: report is nil and mode is "skipped".
func resolveQueues(ctx context.Context, f *Factory, opts queueCheckOptions, names []string) (*flow.QueueReport, string, error) {
	if opts.Timeout <= 0 {
		return nil, "", usageErrorf("invalid --timeout %s: want a positive duration", opts.Timeout)
	}
	switch {
	case opts.OrgFile != "":
		r, err := orgReport(opts.OrgFile, opts.Client, names)
		if err != nil {
			return nil, "", err
		}
		printNotes(f, r)
		return r.QueueReport(), queueChecksOrg, nil
	case opts.Offline || !genesys.HasCredentials(f.Getenv):
		return nil, queueChecksSkipped, nil
	}
	c, err := newGenesysClient(f, opts.Timeout)
	if err != nil {
		return nil, "", err
	}
	if len(names) == 0 {
		// No static Redirect queue: nothing to look up.
		return &flow.QueueReport{}, queueChecksOnline, nil
	}
	facts, err := c.Facts(ctx, names)
	if err != nil {
		return nil, "", genesysFailure(err)
	}
	r := genesys.Resolve(facts, names)
	printNotes(f, r)
	return r.QueueReport(), queueChecksOnline, nil
}

// printNotes tells on stderr what the queue checks could not check, e.g.
// permissions, or queues in divisions the client cannot see.
func printNotes(f *Factory, r *genesys.Report) {
	for _, n := range notes(r) {
		fmt.Fprintf(f.IO.ErrOut, "note: %s\n", n)
	}
}

// orgReport resolves names against an org file (no network).
func orgReport(path, client string, names []string) (*genesys.Report, error) {
	o, err := org.Load(path)
	if err != nil {
		return nil, failure(err)
	}
	facts, err := org.Facts(o, client)
	if err != nil {
		var ce *org.ClientChoiceError
		if errors.As(err, &ce) {
			return nil, usageErrorf("--client: %v", err)
		}
		return nil, failure(err)
	}
	return genesys.Resolve(facts, names), nil
}
