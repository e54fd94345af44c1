package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/spf13/cobra"
)

var checkQueueFormats = []string{"text", "json"}

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
	addEnumFlag(c, c.Flags(), &opts.Format, enumFlag{Name: "format", Short: "f", Default: "text", Values: checkQueueFormats, Usage: "output format: %s"})
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
		err = writeCheckQueueJSON(f.IO.Out, r, opts.Names)
	} else {
		err = writeCheckQueueText(f.IO.Out, newStyles(f.IO), r, opts.Names, opts.OrgFile)
	}
	if err != nil {
		return failure(err)
	}
	if !r.Reachable() {
		return errFindings
	}
	return nil
}

// statusNames are the JSON names of the queue statuses.
var statusNames = map[flow.QueueStatus]string{
	flow.QueueReachable:            "reachable",
	flow.QueueNameMismatch:         "name-mismatch",
	flow.QueueDivisionNotPermitted: "division-not-permitted",
	flow.QueueNotFound:             "not-found",
}

type checkQueueJSON struct {
	Source              string              `json:"source"`
	Organization        genesys.EntityRef   `json:"organization"`
	Client              genesys.EntityRef   `json:"client"`
	GrantsKnown         bool                `json:"grantsKnown"`
	GrantedDivisions    []string            `json:"grantedDivisions"`
	MissingPermissions  []string            `json:"missingPermissions"`
	CrossDivisionSearch bool                `json:"crossDivisionSearch"`
	Notes               []string            `json:"notes"`
	Queues              []checkQueueVerdict `json:"queues"`
	Reachable           bool                `json:"reachable"`
}

type checkQueueVerdict struct {
	Name      string   `json:"name"`
	Status    string   `json:"status"`
	Reachable bool     `json:"reachable"`
	ID        string   `json:"id,omitempty"`
	Division  string   `json:"division,omitempty"`
	Similar   []string `json:"similar"`
	// Hidden maps the similar names that lie in divisions the client
	// cannot see to their division.
	Hidden map[string]string `json:"hiddenDivisions,omitempty"`
}

func writeCheckQueueJSON(w io.Writer, r *genesys.Report, names []string) error {
	out := checkQueueJSON{
		Source: r.Source, Organization: r.Organization, Client: r.Client,
		GrantsKnown: r.GrantsKnown, GrantedDivisions: nonNil(r.Granted), MissingPermissions: nonNil(r.Missing),
		CrossDivisionSearch: r.CrossDivision, Notes: nonNil(notes(r)), Reachable: r.Reachable(),
	}
	for _, n := range names {
		v := r.Verdicts[n]
		out.Queues = append(out.Queues, checkQueueVerdict{
			Name: n, Status: statusNames[v.Status], Reachable: v.Status == flow.QueueReachable && len(r.Missing) == 0,
			ID: v.QueueID, Division: v.Division, Similar: nonNil(v.Similar), Hidden: v.Hidden,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// notes say what the report could not check.
func notes(r *genesys.Report) []string {
	var out []string
	switch {
	case r.GrantsKnown || r.GrantsNote == "":
	case len(r.Denied) > 0:
		out = append(out, "other permissions not checked: "+r.GrantsNote)
	default:
		out = append(out, "permissions not checked: "+r.GrantsNote)
	}
	if r.SearchNote != "" && anyUnreachable(r) {
		out = append(out, r.SearchNote)
	}
	return out
}

func writeCheckQueueText(w io.Writer, st *styles, r *genesys.Report, names []string, orgFile string) error {
	var b strings.Builder
	client := fmt.Sprintf("OAuth client %q", r.Client.Name)
	if orgFile != "" {
		fmt.Fprintf(&b, "Org file %s: %s (%s) in organization %q (%s)\n", orgFile, client, r.Client.ID, r.Organization.Name, r.Organization.ID)
	} else {
		fmt.Fprintf(&b, "Authenticated as %s (%s) in organization %q (%s)\n", client, r.Client.ID, r.Organization.Name, r.Organization.ID)
	}
	if r.GrantsKnown {
		fmt.Fprintf(&b, "routing:queue:view granted in: %s\n", flow.DivisionList(r.Granted))
	}
	b.WriteString("\n")
	ok, bad := st.OK.Render("✓"), st.Error.Render("✗")
	rc := flow.ReportContext{Client: client, Hidden: r.HiddenDivision}
	for _, n := range names {
		v := r.Verdicts[n]
		mark := bad
		if v.Status == flow.QueueReachable {
			mark = ok
		}
		line, details := v.Describe(n, rc)
		fmt.Fprintf(&b, "%s %s\n", mark, line)
		for _, d := range details {
			fmt.Fprintf(&b, "    %s\n", d)
		}
	}
	b.WriteString("\n")
	switch {
	case len(r.Missing) > 0:
		fmt.Fprintf(&b, "%s missing handover permissions: %s\n", bad, strings.Join(r.Missing, ", "))
		fmt.Fprintf(&b, "    fix: add them to a role granted to %s\n", client)
	case r.GrantsKnown:
		fmt.Fprintf(&b, "%s handover permissions: all present (%s)\n", ok, strings.Join(flow.HandoverPermissions, ", "))
	}
	for _, n := range notes(r) {
		fmt.Fprintf(&b, "%s\n", st.Dim.Render("note: "+n))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// anyUnreachable reports whether some name did not resolve to a reachable
// queue: only then does a cross-division search matter.
func anyUnreachable(r *genesys.Report) bool {
	for _, v := range r.Verdicts {
		if v.Status != flow.QueueReachable {
			return true
		}
	}
	return false
}
