package cmd

import (
	"context"

	"github.com/flowctl/flowctl/flow"
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
}

// resolveQueues looks up each distinct queue name once and returns the
// report for flow.QueueFindings with the mode for the summary. With no org
// file and no credentials (or --offline without --org) the checks are
// skipped: report is nil and mode is "skipped".
func resolveQueues(ctx context.Context, f *Factory, opts queueCheckOptions, names []string) (*flow.QueueReport, string, error) {
	return nil, queueChecksSkipped, nil
}
