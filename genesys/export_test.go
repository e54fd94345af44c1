package genesys

import (
	"context"
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
}
