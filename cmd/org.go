package cmd

import (
	"fmt"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
	"github.com/flowctl/flowctl/internal/words"
	"github.com/spf13/cobra"
)

func newOrgCmd(f *Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "org",
		Short: "Work with org files (Genesys Cloud org snapshots)",
		Args:  subcommandArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return c.Help()
		},
	}
	c.AddCommand(newOrgExportCmd(f))
	return c
}

type orgExportOptions struct {
	Output  string
	Timeout time.Duration
}

func newOrgExportCmd(f *Factory) *cobra.Command {
	opts := &orgExportOptions{}
	c := &cobra.Command{
		Use:   "export",
		Short: "Write the org file of what the Genesys credentials can see",
		Long: `Write an org file (flowctl schema org) of what the OAuth client in
GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and
GENESYSCLOUD_REGION can see: the organisation, its divisions, its queues
(every division's with routing:queue:search, else the visible ones, marked
queueCoverage: visible), and the client's roles and grants. No secret is
written. Export fails (exit 3) when the client's grants cannot be read: grant
it oauth:client:view and authorization:role:view.

CI can then validate without network access:
  flowctl org export -o org.yaml
  flowctl validate --org org.yaml flows/`,
		Example: "  flowctl org export -o org.yaml",
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			return runOrgExport(f, opts)
		},
	}
	c.Flags().StringVarP(&opts.Output, "output", "o", "", "write to this file instead of stdout")
	addTimeoutFlag(c.Flags(), &opts.Timeout, genesys.DefaultTimeout, "per-request timeout for Genesys Cloud")
	return c
}

func runOrgExport(f *Factory, opts *orgExportOptions) error {
	c, err := newGenesysClient(f, opts.Timeout, false)
	if err != nil {
		return err
	}
	if opts.Output != "" {
		if err := prepareOutput("--output", opts.Output, "org.yaml"); err != nil {
			return err
		}
	}
	o, notes, err := org.Export(f.Context, c)
	if err != nil {
		return genesysFailure(err)
	}
	for _, n := range notes {
		fmt.Fprintf(f.IO.ErrOut, "note: %s\n", n)
	}
	header := fmt.Sprintf("flowctl org export: organization %q as seen by OAuth client %q.\nNo secrets. Use with: flowctl validate --org FILE", o.Organization.Name, o.OAuthClients[0].Name)
	data, err := org.Marshal(o, header)
	if err != nil {
		return failure(err)
	}
	if opts.Output == "" {
		_, err = f.IO.Out.Write(data)
		return err
	}
	if err := writeFileAtomic(opts.Output, data); err != nil {
		return failuref("cannot write the org file %s: %v", opts.Output, flow.PathErrorCause(err))
	}
	fmt.Fprintf(f.IO.ErrOut, "Wrote %s: organization %q, %s, %s\n", opts.Output, o.Organization.Name, words.Plural(len(o.Divisions), "division"), words.Plural(len(o.Queues), "queue"))
	return nil
}
