package schemas

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestOtherKind checks that each kind of flowctl file is told from the
// others by its top-level fields (and, for one telling field, its
// conventional name), and that a broken file of the wanted kind stays one.
func TestOtherKind(t *testing.T) {
	const (
		flowDoc   = "version: 1\nname: Acme\nstart: main\nsession: { maxInactivity: 5m }\nintents: {}\nflows: {}\n"
		testDoc   = "name: t\nflow: a.flow.yaml\norg: o.yaml\nclient: Bot\nsteps: []\n"
		orgDoc    = "organization: { name: Acme }\ndivisions: []\nqueues: []\nroles: []\noauthClients: []\n"
		configDoc = "version: 1\norg: org/acme.org.yaml\nclient: Bot\nenable: [silent-end]\nstrict: false\ntests: [tests]\n"
	)
	tests := []struct {
		name, file, src, want string
		kind                  string // "" for none
		has                   string // the two telling fields
	}{
		{"flow read as test", "a.flow.yaml", flowDoc, KindTest, KindFlow, "flows and version"},
		{"flow read as org", "x.yaml", flowDoc, KindOrg, KindFlow, "flows and version"},
		{"flow read as config", "x.yaml", flowDoc, KindConfig, KindFlow, "flows and name"},
		{"test read as flow", "t.yaml", testDoc, KindFlow, KindTest, "flow and steps"},
		{"test read as org", "t.yaml", testDoc, KindOrg, KindTest, "flow and steps"},
		{"org read as flow", "o.yaml", orgDoc, KindFlow, KindOrg, "organization and divisions"},
		{"org read as test", "o.yaml", orgDoc, KindTest, KindOrg, "organization and divisions"},
		{"config read as flow", "flowctl.yaml", configDoc, KindFlow, KindConfig, "enable and strict"},
		{"config read as test", "c.yaml", configDoc, KindTest, KindConfig, "enable and strict"},
		{"config read as org", "c.yaml", configDoc, KindOrg, KindConfig, "enable and strict"},
		{"small config by its name", "flowctl.yaml", "version: 1\norg: org.yaml\n", KindFlow, KindConfig, "org"},
		{"small config by another name", "other.yaml", "version: 1\norg: org.yaml\n", KindFlow, "", ""},
		{"one test field in a test file name", "a.test.yaml", "steps: []\n", KindFlow, KindTest, "steps"},
		{"a flow that misspells flows", "broken.flow.yaml", "name: Broken\nflow: {}\n", KindFlow, "", ""},
		{"a flow file of the wanted kind", "a.flow.yaml", flowDoc, KindFlow, "", ""},
		{"a flow with two stray test fields", "a.flow.yaml", "version: 1\nname: x\nflows: {}\nintents: {}\nsession: {}\nflow: x\nsteps: []\n", KindFlow, "", ""},
		{"not a mapping", "a.flow.yaml", "- a\n- b\n", KindTest, "", ""},
		{"unknown fields only", "x.yaml", "foo: 1\nbar: 2\n", KindFlow, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.src), &doc); err != nil {
				t.Fatal(err)
			}
			kind, has := OtherKind(tt.file, doc.Content[0], tt.want)
			if kind != tt.kind {
				t.Fatalf("kind = %q (%v), want %q", kind, has, tt.kind)
			}
			if got := strings.Join(has[:min(2, len(has))], " and "); got != tt.has {
				t.Errorf("telling fields %q, want %q", got, tt.has)
			}
			msg := WrongKind(tt.file, doc.Content[0], tt.want)
			if (msg == "") != (tt.kind == "") {
				t.Fatalf("WrongKind = %q", msg)
			}
			if msg != "" && (!strings.HasPrefix(msg, "this is "+info(tt.kind).what+" (it has "+tt.has+"), not "+info(tt.want).what+": ") || !strings.Contains(msg, tt.file)) {
				t.Errorf("WrongKind = %q", msg)
			}
		})
	}
}
