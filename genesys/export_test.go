package genesys

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestExportOrgRoundTrip(t *testing.T) {
	org := acmeOrg(t)
	_, c, _ := emulate(t, org, EmulatorOptions{}, nil)
	got, notes, err := c.ExportOrg(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 0 {
		t.Errorf("notes %q", notes)
	}
	data, err := MarshalOrg(got, "exported for a test")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), sentinelSecret) || strings.Contains(string(data), "secret") {
		t.Fatalf("export holds a secret:\n%s", data)
	}
	back, err := ParseOrg("export.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	// The snapshot resolves every name as the live org does.
	f, err := OrgFacts(back, "")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(acmeWant(org), Resolve(f, acmeNames).Verdicts); d != "" {
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
	org := acmeOrg(t)
	org.OAuthClients[0].RoleDivisions = org.OAuthClients[0].RoleDivisions[:2]
	_, c, _ := emulate(t, org, EmulatorOptions{}, nil)
	got, notes, err := c.ExportOrg(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Queues) != 3 || len(notes) != 1 || !strings.Contains(notes[0], "routing:queue:search") {
		t.Errorf("queues %v notes %q", got.Queues, notes)
	}
	data, err := MarshalOrg(got, "")
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseOrg("export.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if back.QueueCoverage != QueueCoverageVisible {
		t.Errorf("queueCoverage %q:\n%s", back.QueueCoverage, data)
	}
	offline, err := OrgFacts(back, "")
	if err != nil {
		t.Fatal(err)
	}
	online, err := c.Facts(context.Background(), acmeNames)
	if err != nil {
		t.Fatal(err)
	}
	want := Resolve(online, acmeNames)
	r := Resolve(offline, acmeNames)
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
	_, c, _ := emulate(t, acmeOrg(t), EmulatorOptions{SubjectsMe: "error"}, nil)
	_, _, err := c.ExportOrg(context.Background())
	var ge *GrantsUnknownError
	if !errors.As(err, &ge) || !strings.Contains(err.Error(), "oauth:client:view") {
		t.Fatalf("err = %v", err)
	}
}

// TestBuildOrgIncompleteRefs: entities Genesys describes without an id or a
// division neither crash the export nor make an invalid org file.
func TestBuildOrgIncompleteRefs(t *testing.T) {
	f := &Facts{
		Organization: EntityRef{ID: "org1", Name: "Acme"},
		Client:       EntityRef{ID: "c1", Name: "Bot"},
		Visible: []Queue{
			{ID: "q1", Name: "No division"},
			{ID: "q2", Name: "Named division", Division: EntityRef{Name: "Sales"}},
			{ID: "q3", Name: "Full", Division: EntityRef{ID: "d1", Name: "Support"}},
		},
		Others: []Queue{{ID: "q4", Name: "Hidden, no division"}},
		Grants: []Grant{
			{Division: EntityRef{}, Role: EntityRef{ID: "r1", Name: "Handover"}, Permissions: []string{"routing:queue:view"}},
			{Division: EntityRef{Name: "Sales"}, Role: EntityRef{ID: "r1", Name: "Handover"}, Permissions: []string{"routing:queue:view"}},
			{Division: EntityRef{ID: "d1"}, Role: EntityRef{Name: "Unnamed"}, Permissions: []string{"routing:queue:view"}},
		},
	}
	o, notes := buildOrg(f, []Division{{ID: "d1", Name: "Support"}})
	data, err := MarshalOrg(o, "")
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseOrg("export.yaml", data)
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
