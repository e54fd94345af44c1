package org_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/genesys/org"
)

func TestLoadAcmeOrg(t *testing.T) {
	o := acmeOrg(t)
	if o.Organization.ID != org.StableID("organization", "Acme") {
		t.Errorf("org id %q", o.Organization.ID)
	}
	if got := o.Queue("Billing Support").ID; got != org.StableID("queue", "Billing Support") || len(got) != 36 {
		t.Errorf("queue id %q", got)
	}
	if o.HomeDivision().Name != "Home" {
		t.Errorf("home %q", o.HomeDivision().Name)
	}
	if org.StableID("queue", "A") == org.StableID("division", "A") {
		t.Error("ids of different kinds collide")
	}
}

func TestParseOrgErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{name: "syntax", yaml: "organization: {name: X\n", want: []string{"org.yaml:1:15: could not find flow mapping end token '}'"}},
		{name: "empty", yaml: "", want: []string{"org.yaml:1:1: file is empty: an org file needs organization, divisions, queues, roles and oauthClients"}},
		{name: "second document", yaml: "organization: {name: X}\n---\nfoo: [1\n",
			want: []string{"org.yaml:3:6: sequence end token"}},
		{name: "two documents", yaml: "organization: {name: X}\n---\nfoo: 1\n",
			want: []string{"org.yaml:2:1: an org file holds one YAML document; remove the --- separator"}},
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
		{name: "did you mean", yaml: `organization: {name: X}
divisions: [{name: Support, home: true}]
queues: [{name: Support EN, division: Suport}]
roles:
  - {name: Bot handover, permissions: [routing:queue:veiw, "routing:queue:view!", analytics:conversationDetail:view, "routing:*:*"]}
oauthClients: [{name: c, roleDivisions: [{role: Bot handovr, division: Supprt}, {role: Bot handover, division: cc}]}]
agents: [{name: Al, queues: [Support EM]}]
`, want: []string{
			`org.yaml:3:39: queue "Support EN": no division "Suport"; did you mean "Support"?`,
			`org.yaml:5:40: role "Bot handover": unknown permission "routing:queue:veiw"; did you mean "routing:queue:view"?`,
			`org.yaml:5:60: role "Bot handover": "routing:queue:view!" is no permission: write domain:entity:action (each part a name or *), e.g. routing:queue:view`,
			`org.yaml:6:49: OAuth client "c": no role "Bot handovr"; did you mean "Bot handover"?`,
			`org.yaml:6:72: OAuth client "c": no division "Supprt" (use * for all divisions); did you mean "Support"?`,
			`org.yaml:6:112: OAuth client "c": no division "cc" (use * for all divisions)`,
			`org.yaml:7:30: agent "Al": no queue "Support EM"; did you mean "Support EN"?`,
		}},
		{name: "permission words", yaml: "organization: {name: X}\ndivisions: [{name: D}]\nqueues: []\nroles: [{name: r, permissions: [routing.queue.view]}]\noauthClients: []\n",
			want: []string{`org.yaml:4:33: roles[0].permissions[0]: "routing.queue.view" is no permission: write domain:entity:action (each part may be *), e.g. routing:queue:view`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := org.Parse("org.yaml", []byte(tt.yaml))
			if err == nil || !org.IsError(err) {
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
	_, err := org.Load(filepath.Join(t.TempDir(), "missing.yaml"))
	if err == nil || !strings.Contains(err.Error(), "read org file:") || org.IsError(err) {
		t.Errorf("err = %v", err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "o.yaml")
	os.WriteFile(p, []byte("organization: {name: X}\ndivisions: [{name: D}]\nqueues: []\nroles: []\noauthClients: []\n"), 0o644)
	if _, err := org.Load(p); err != nil {
		t.Errorf("minimal org: %v", err)
	}
}

func TestParseOrgProblemPositions(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{name: "duplicate keys", yaml: `organization: {name: X}
divisions:
  - {name: D, name: E}
queues: []
roles: []
oauthClients: []
queues: []
`, want: []string{
			`3:15: key "name" is duplicated; first defined at line 3, column 6`,
			`7:1: key "queues" is duplicated; first defined at line 4, column 1`,
		}},
		{name: "star is no division name", yaml: `organization: {name: X}
divisions: [{name: "*"}]
queues: []
roles: []
oauthClients: []
`, want: []string{`2:20: divisions[0].name: "*" is no division name: it stands for all divisions in grants`}},
		{name: "a name that is another's id", yaml: `organization: {name: X}
divisions:
  - {name: Sales, id: support}
  - {name: support}
  - {name: Home, id: Sales}
queues: []
roles: []
oauthClients: []
`, want: []string{
			`4:12: division name "support" is also the id of division "Sales": a reference to it would be ambiguous`,
			`5:22: division id "Sales" is also the name of division "Sales": a reference to it would be ambiguous`,
		}},
		{name: "schema problems and references in one run", yaml: `organization: { name: Bad Org, name: Other }
divisions:
  - { name: Home, home: true }
  - { name: Retail }
  - { name: Retail }
queues:
  - { name: Retail Banking, division: Retial, descripton: x }
  - { name: VIP, division: Home }
roles:
  - name: Bot handover
    permissions: [routing:queue:veiw, conversation:communication:blindTransfer, "conversation:message:receive"]
oauthClients:
  - name: Web bot
    state: sleeping
    roleDivisions:
      - { role: Bot handovr, division: Retail }
      - { role: Bot handover, division: Nowhere }
agents:
  - { name: Alice, queues: [Retail Bankng] }
`, want: []string{
			`1:32: key "name" is duplicated; first defined at line 1, column 17`,
			`5:13: duplicate division name "Retail"`,
			`7:39: queue "Retail Banking": no division "Retial"; did you mean "Retail"?`,
			`7:47: unknown field "descripton"; did you mean "description"?`,
			`11:19: role "Bot handover": unknown permission "routing:queue:veiw"; did you mean "routing:queue:view"?`,
			`14:12: oauthClients[0].state: got "sleeping", want one of`,
			`16:17: OAuth client "Web bot": no role "Bot handovr"; did you mean "Bot handover"?`,
			`17:41: OAuth client "Web bot": no division "Nowhere" (use * for all divisions)`,
			`19:29: agent "Alice": no queue "Retail Bankng"; did you mean "Retail Banking"?`,
		}},
		{name: "references to a kind with an unreadable name are not checked", yaml: `organization: {name: X}
divisions: [{name: D}, {name: E}]
queues:
  - {nmae: Support, division: D}
  - {name: Sales, division: [D]}
roles: [{name: r, permissions: [routing.queue.view]}]
oauthClients: [{name: c, roleDivisions: [{role: r, division: F}]}]
agents: [{name: Al, queues: [Support]}]
`, want: []string{
			`4:6: unknown field "nmae"; did you mean "name"?`,
			`5:29: queues[1].division: got array, want string`,
			`6:33: roles[0].permissions[0]: "routing.queue.view" is no permission`,
			`7:62: OAuth client "c": no division "F" (use * for all divisions)`,
		}},
		{name: "a missing kind is not referenced", yaml: `organization: {name: X}
queues: [{name: Q, division: D}]
roles: []
oauthClients: []
`, want: []string{`1:1: missing required field "divisions"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := org.Parse("org.yaml", []byte(tt.yaml))
			var oe *org.Error
			if !errors.As(err, &oe) {
				t.Fatalf("err = %v", err)
			}
			var got []string
			for _, p := range oe.Problems {
				if strings.Contains(p.Message, "\n") {
					t.Errorf("multi-line message %q", p.Message)
				}
				got = append(got, fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Message))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d = %q, want prefix %q", i, got[i], w)
				}
			}
		})
	}
}
