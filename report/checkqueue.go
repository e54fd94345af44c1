package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
)

// Notes say what the report could not check.
func Notes(r *genesys.Report) []string {
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

// WriteCheckQueue writes check-queue's report as text: who is asking, one
// line per queue name with its verdict (and the fix), the handover
// permissions, and notes on what could not be checked. orgFile is the org
// file the report comes from ("" when it comes from Genesys).
func WriteCheckQueue(w io.Writer, st *Styles, r *genesys.Report, names []string, orgFile string) error {
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
	for _, n := range Notes(r) {
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
