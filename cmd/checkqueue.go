package cmd

import (
	"slices"
	"strings"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/report"
	"github.com/spf13/cobra"
)

// checkQueueOptions are check-queue's arguments and flags.
type checkQueueOptions struct {
	orgFlags               // --org, --client: check against an org file
	Names    []string      // the queue names, each once
	Format   string        // --format: text or json
	Timeout  time.Duration // --timeout: per Genesys request
}

func newCheckQueueCmd(f *Factory) *cobra.Command {
	opts := &checkQueueOptions{}
	c := &cobra.Command{
		Use:   "check-queue NAME...",
		Short: "Explain whether the bot's OAuth client can hand chats to a queue",
		Long: `Explain whether the bot's OAuth client can hand chats to each named queue:
the client and org it authenticated as, then per queue the queue id and
division when reachable, or why not: no queue of that exact name (with near
misses), a queue in a division where the client's roles grant no
routing:queue:view (with the divisions it is granted and the fix), or
handover permissions the client lacks.

Online with GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and
GENESYSCLOUD_REGION; offline against an org file with --org.

Exit status: 0 every queue reachable, 1 a queue is not reachable or a
permission is missing, 2 usage error, 3 Genesys or input failure.`,
		Example: `  flowctl check-queue "Billing Support"
  flowctl check-queue --org org.yaml "Billing Support" "Support EN"
  flowctl check-queue --format json "Support EN"`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf(`check-queue needs the name of a queue to check, e.g. flowctl check-queue "Billing Support"`)
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			for _, a := range args {
				if strings.TrimSpace(a) == "" {
					return usageErrorf("queue name is empty")
				}
				if !slices.Contains(opts.Names, a) {
					opts.Names = append(opts.Names, a)
				}
			}
			return runCheckQueue(f, opts)
		},
	}
	addOrgFlags(c, &opts.orgFlags, "check against this org file instead of Genesys (no network)")
	addEnumFlag(c, c.Flags(), &opts.Format, enumFlag{Name: "format", Short: "f", Default: "text", Values: report.CheckQueueFormats, Usage: "output format: %s"})
	addTimeoutFlag(c.Flags(), &opts.Timeout, genesys.DefaultTimeout, "per-request timeout for Genesys Cloud")
	return c
}

func runCheckQueue(f *Factory, opts *checkQueueOptions) error {
	var r *genesys.Report
	if opts.OrgFile != "" {
		var err error
		if r, err = orgReport(opts.orgFlags, opts.Names); err != nil {
			return err
		}
	} else {
		c, err := newGenesysClient(f, opts.Timeout, true)
		if err != nil {
			return err
		}
		facts, err := c.Facts(f.Context, opts.Names)
		if err != nil {
			return genesysFailure(err)
		}
		r = genesys.Resolve(facts, opts.Names)
	}
	var err error
	if opts.Format == "json" {
		err = report.WriteCheckQueueJSON(f.IO.Out, r, opts.Names)
	} else {
		err = report.WriteCheckQueue(f.IO.Out, newStyles(f.IO), r, opts.Names, opts.OrgFile)
	}
	if err != nil {
		return failure(err)
	}
	if !r.Reachable() {
		return errFindings
	}
	return nil
}
