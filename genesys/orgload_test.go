package genesys

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadAcmeOrg(t *testing.T) {
	o := acmeOrg(t)
	if o.Organization.ID != StableID("organization", "Acme") {
		t.Errorf("org id %q", o.Organization.ID)
	}
	if got := o.Queue("Billing Support").ID; got != StableID("queue", "Billing Support") || len(got) != 36 {
		t.Errorf("queue id %q", got)
	}
	if o.HomeDivision().Name != "Home" {
		t.Errorf("home %q", o.HomeDivision().Name)
	}
	if StableID("queue", "A") == StableID("division", "A") {
		t.Error("ids of different kinds collide")
	}
}

func TestParseOrgErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{name: "syntax", yaml: "organization: {name: X\n", want: []string{"org.yaml:1:1: did not find expected ',' or '}'"}},
		{name: "empty", yaml: "", want: []string{"org.yaml:1:1: empty org file"}},
		{name: "schema", yaml: "organization: {name: X, bogus: 1}\ndivisions: []\nqueues: []\nroles: []\n",
			want: []string{`org.yaml:1:1: missing required field "oauthClients"`, `org.yaml:1:25: unknown field "bogus"`, "org.yaml:2:12: divisions:"}},
		{name: "permission shape", yaml: "organization: {name: X}\ndivisions: [{name: D}]\nqueues: []\nroles: [{name: r, permissions: [routing]}]\noauthClients: []\n",
			want: []string{"org.yaml:4:33:"}},
		{name: "references", yaml: `organization: {name: X}
divisions: [{name: D, home: true}, {name: E, home: true}]
queues:
  - {name: A, division: Nope}
  - {name: A, division: D}
roles: [{name: r, permissions: ["*:*:*"]}]
oauthClients: [{name: c, roleDivisions: [{role: q, division: "*"}, {role: r, division: F}]}]
agents: [{name: Al, queues: [B]}]
`, want: []string{
			"org.yaml:2:52: more than one home division",
			`org.yaml:4:25: queue "A": no division "Nope"`,
			`org.yaml:5:12: duplicate queue name "A"`,
			`org.yaml:7:49: OAuth client "c": no role "q"`,
			`org.yaml:7:88: OAuth client "c": no division "F" (use * for all divisions)`,
			`org.yaml:8:30: agent "Al": no queue "B"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOrg("org.yaml", []byte(tt.yaml))
			if err == nil || !IsOrgError(err) {
				t.Fatalf("err = %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestLoadOrgUnreadable(t *testing.T) {
	_, err := LoadOrg(filepath.Join(t.TempDir(), "missing.yaml"))
	if err == nil || !strings.Contains(err.Error(), "read org file:") || IsOrgError(err) {
		t.Errorf("err = %v", err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "o.yaml")
	os.WriteFile(p, []byte("organization: {name: X}\ndivisions: [{name: D}]\nqueues: []\nroles: []\noauthClients: []\n"), 0o644)
	if _, err := LoadOrg(p); err != nil {
		t.Errorf("minimal org: %v", err)
	}
}
