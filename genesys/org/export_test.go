package org_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/org"
	"github.com/google/go-cmp/cmp"
)

func TestExportOrgRoundTrip(t *testing.T) {
	o := acmeOrg(t)
	_, c, _ := emulate(t, o, emulator.Options{SubjectsMe: "grants"}, nil)
	got, notes, err := org.Export(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 0 {
		t.Errorf("notes %q", notes)
	}
	data, err := org.Marshal(got, "exported for a test")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), sentinelSecret) || strings.Contains(string(data), "secret") {
		t.Fatalf("export holds a secret:\n%s", data)
	}
	back, err := org.Parse("export.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	// The snapshot resolves every name as the live org does.
	f, err := org.Facts(back, "")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(acmeWant(o), genesys.Resolve(f, acmeNames).Verdicts); d != "" {
		t.Errorf("verdicts from the export (-want +got):\n%s\n%s", d, data)
	}
	for _, want := range []string{"organization: {name: Acme, id: ", "  - {name: Billing Support, id: ", "division: Sales}", "      - {role: Bot handover, division: Support}"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("export lacks %q:\n%s", want, data)
		}
	}
}

// TestExportWithoutSearch: a snapshot of a client that cannot list every
// division's queues says so, and gives the online verdicts: a queue in a
// division it cannot see is "not visible", not "does not exist".
func TestExportWithoutSearch(t *testing.T) {
	o := acmeOrg(t)
	o.OAuthClients[0].RoleDivisions = o.OAuthClients[0].RoleDivisions[:2]
	_, c, _ := emulate(t, o, emulator.Options{SubjectsMe: "grants"}, nil)
	got, notes, err := org.Export(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Queues) != 3 || len(notes) != 1 || !strings.Contains(notes[0], "routing:queue:search") {
		t.Errorf("queues %v notes %q", got.Queues, notes)
	}
	data, err := org.Marshal(got, "")
	if err != nil {
		t.Fatal(err)
	}
	back, err := org.Parse("export.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if back.QueueCoverage != org.QueueCoverageVisible {
		t.Errorf("queueCoverage %q:\n%s", back.QueueCoverage, data)
	}
	offline, err := org.Facts(back, "")
	if err != nil {
		t.Fatal(err)
	}
	online, err := c.Facts(context.Background(), acmeNames)
	if err != nil {
		t.Fatal(err)
	}
	want := genesys.Resolve(online, acmeNames)
	r := genesys.Resolve(offline, acmeNames)
	if d := cmp.Diff(want.Verdicts, r.Verdicts); d != "" {
		t.Errorf("snapshot verdicts differ from online (-online +snapshot):\n%s", d)
	}
	if r.CrossDivision || r.SearchNote == "" {
		t.Errorf("cross %v note %q", r.CrossDivision, r.SearchNote)
	}
}

// TestExportGrantsUnknown: without the client's grants there is no
// snapshot that would give the live org's verdicts: export fails.
func TestExportGrantsUnknown(t *testing.T) {
	_, c, _ := emulate(t, acmeOrg(t), emulator.Options{SubjectsMe: "error"}, nil)
	_, _, err := org.Export(context.Background(), c)
	var ge *org.GrantsUnknownError
	if !errors.As(err, &ge) || !strings.Contains(err.Error(), "oauth:client:view") {
		t.Fatalf("err = %v", err)
	}
}

// TestBuildOrgIncompleteRefs: entities Genesys describes without an id or a
// division neither crash the export nor make an invalid org file.
func TestBuildOrgIncompleteRefs(t *testing.T) {
	f := &genesys.Facts{
		Organization: genesys.EntityRef{ID: "org1", Name: "Acme"},
		Client:       genesys.EntityRef{ID: "c1", Name: "Bot"},
		Visible: []genesys.Queue{
			{ID: "q1", Name: "No division"},
			{ID: "q2", Name: "Named division", Division: genesys.EntityRef{Name: "Sales"}},
			{ID: "q3", Name: "Full", Division: genesys.EntityRef{ID: "d1", Name: "Support"}},
		},
		Others: []genesys.Queue{{ID: "q4", Name: "Hidden, no division"}},
		Grants: []genesys.Grant{
			{Division: genesys.EntityRef{}, Role: genesys.EntityRef{ID: "r1", Name: "Handover"}, Permissions: []string{"routing:queue:view"}},
			{Division: genesys.EntityRef{Name: "Sales"}, Role: genesys.EntityRef{ID: "r1", Name: "Handover"}, Permissions: []string{"routing:queue:view"}},
			{Division: genesys.EntityRef{ID: "d1"}, Role: genesys.EntityRef{Name: "Unnamed"}, Permissions: []string{"routing:queue:view"}},
		},
	}
	o, notes := org.BuildOrg(f, []genesys.Division{{ID: "d1", Name: "Support"}})
	data, err := org.Marshal(o, "")
	if err != nil {
		t.Fatal(err)
	}
	back, err := org.Parse("export.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if got := len(back.Queues); got != 2 {
		t.Errorf("%d queues, want the 2 with a division:\n%s", got, data)
	}
	if q := back.Queue("Named division"); q == nil || q.Division != "Sales" {
		t.Errorf("queue in a division known by name: %+v", q)
	}
	if got := len(back.OAuthClients[0].RoleDivisions); got != 2 {
		t.Errorf("%d grants, want the 2 with a division:\n%s", got, data)
	}
	want := []string{
		`queue "No division" (id q1) has no division: not exported`,
		`queue "Hidden, no division" (id q4) has no division: not exported`,
		`the grant of role "r1" names no division: not exported`,
	}
	if d := cmp.Diff(want, notes); d != "" {
		t.Errorf("notes (-want +got):\n%s", d)
	}
}
