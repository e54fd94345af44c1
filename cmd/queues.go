package cmd

import (
	"context"
	"fmt"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
)

// Queue check modes reported in validate's summary.
const (
	queueChecksOnline  = "online"
	queueChecksOrg     = "org"
	queueChecksSkipped = "skipped"
)

// queueCheckOptions are validate's flags that choose where queue facts come from.
type queueCheckOptions struct {
	orgFlags      // --org (an offline snapshot; wins over credentials), --client
	Offline  bool // --offline: never contact Genesys
	// Timeout is --timeout: the per-request timeout of online checks.
	Timeout time.Duration
}

// resolveQueues looks up each distinct queue name once and returns the
// report for flow.QueueFindings with the mode for the summary. With no org
// file and no credentials (or --offline without --org) the checks are
// skipped: report is nil and mode is "skipped".
func resolveQueues(ctx context.Context, f *Factory, opts queueCheckOptions, names []string) (*flow.QueueReport, string, error) {
	switch {
	case opts.OrgFile != "":
		r, err := orgReport(opts.orgFlags, names)
		if err != nil {
			return nil, "", err
		}
		printNotes(f, r)
		return r.QueueReport(), queueChecksOrg, nil
	case opts.Offline || !genesys.HasCredentials(f.Getenv):
		return nil, queueChecksSkipped, nil
	}
	c, err := newGenesysClient(f, opts.Timeout, true)
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
func orgReport(of orgFlags, names []string) (*genesys.Report, error) {
	o, err := of.load()
	if err != nil {
		return nil, failure(err)
	}
	facts, err := org.Facts(o, of.Client)
	if err != nil {
		return nil, orgError(err)
	}
	return genesys.Resolve(facts, names), nil
}
