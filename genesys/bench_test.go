package genesys_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/org"
)

// bigOrg is 2,000 queues in 10 divisions; the bot client may view queues
// in the first 5 (1,000 queues: 2 pages of 500) and search all of them.
func bigOrg() *org.File {
	o := &org.File{Organization: org.Info{Name: "Big"}}
	for d := range 10 {
		o.Divisions = append(o.Divisions, org.Division{Name: fmt.Sprintf("Div%02d", d), Home: d == 0})
	}
	for i := range 2000 {
		o.Queues = append(o.Queues, org.Queue{Name: fmt.Sprintf("Queue %04d", i), Division: fmt.Sprintf("Div%02d", i%10)})
	}
	o.Roles = []org.Role{{Name: "Bot handover", Permissions: append([]string{genesys.PermQueueSearch}, flow.HandoverPermissions...)}}
	cl := org.Client{Name: "Bot", Secret: sentinelSecret}
	for d := range 5 {
		cl.RoleDivisions = append(cl.RoleDivisions, org.RoleDivision{Role: "Bot handover", Division: fmt.Sprintf("Div%02d", d)})
	}
	o.OAuthClients = []org.Client{cl}
	data, err := org.Marshal(o, "")
	if err != nil {
		panic(err)
	}
	o, err = org.Parse("big.yaml", data)
	if err != nil {
		panic(err)
	}
	o.OAuthClients[0].Secret = sentinelSecret
	return o
}

// redirectNames lists the queue of every redirect of flows flows, cycling
// through distinct names: visible queues, then hidden ones (division 5 to 9).
func redirectNames(flows, distinct, hidden int) []string {
	var names []string
	for f := range flows {
		i := f % distinct
		q := i * 10 // divisions 0..4 are visible: i*10 is in Div00
		if i >= distinct-hidden {
			q = i*10 + 5 // Div05: hidden
		}
		names = append(names, fmt.Sprintf("Queue %04d", q))
	}
	return names
}

// Pages of the listing of all 2,000 queues at 500 per page.
const bigOrgPages = 4

var budgets = []struct {
	name                    string
	flows, distinct, hidden int
	max                     int64
}{
	{name: "validate/500 flows, 50 visible queues", flows: 500, distinct: 50, max: bigOrgPages + 5},
	{name: "validate/500 flows, 48 visible + 2 other divisions", flows: 500, distinct: 50, hidden: 2, max: bigOrgPages + 5},
	{name: "validate/500 flows, 40 visible + 10 other divisions", flows: 500, distinct: 50, hidden: 10, max: bigOrgPages + 5},
	{name: "check-queue/reachable", flows: 1, distinct: 1, max: 6},
	{name: "check-queue/other division", flows: 1, distinct: 1, hidden: 1, max: 6},
}

func lookup(tb testing.TB, srv *httptest.Server, o *org.File, names []string) (*genesys.Report, int64) {
	c, err := genesys.New(genesys.Config{Region: srv.URL, ClientID: o.OAuthClients[0].ID, ClientSecret: sentinelSecret})
	if err != nil {
		tb.Fatal(err)
	}
	f, err := c.Facts(context.Background(), names)
	if err != nil {
		tb.Fatal(err)
	}
	return genesys.Resolve(f, names), c.Requests()
}

func TestRequestBudgets(t *testing.T) {
	o := bigOrg()
	srv := httptest.NewServer(emulator.New(o, emulator.Options{SubjectsMe: "grants"})) // the budgets count the direct grant read
	defer srv.Close()
	for _, bt := range budgets {
		t.Run(bt.name, func(t *testing.T) {
			names := redirectNames(bt.flows, bt.distinct, bt.hidden)
			r, n := lookup(t, srv, o, names)
			if n > bt.max {
				t.Errorf("%d requests, budget %d", n, bt.max)
			}
			hidden := 0
			for _, v := range r.Verdicts {
				if v.Status == flow.QueueDivisionNotPermitted {
					hidden++
				} else if v.Status != flow.QueueReachable {
					t.Errorf("verdict %+v", v)
				}
			}
			if len(r.Verdicts) != bt.distinct || hidden != bt.hidden {
				t.Errorf("%d verdicts, %d not permitted", len(r.Verdicts), hidden)
			}
		})
	}
	// A name that exists nowhere costs no more than one in another division.
	if _, n := lookup(t, srv, o, []string{"Queue 9999"}); n > 6 {
		t.Errorf("check-queue of a missing queue: %d requests", n)
	}
}

func BenchmarkResolve(b *testing.B) {
	o := bigOrg()
	srv := httptest.NewServer(emulator.New(o, emulator.Options{SubjectsMe: "grants"})) // the budgets count the direct grant read
	defer srv.Close()
	for _, bt := range budgets {
		b.Run(bt.name, func(b *testing.B) {
			names := redirectNames(bt.flows, bt.distinct, bt.hidden)
			var total int64
			for b.Loop() {
				_, n := lookup(b, srv, o, names)
				total += n
			}
			b.ReportMetric(float64(total)/float64(b.N), "requests/op")
		})
	}
}
