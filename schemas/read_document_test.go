package schemas

import (
	"strconv"
	"strings"
	"testing"
)

// TestReadDocument: every kind of file is read the same way, and each
// problem has its kind and position.
func TestReadDocument(t *testing.T) {
	for _, tt := range []struct {
		name, file, kind, src string
		want                  []string // line:col kind: message prefix
		root                  bool
	}{
		{"empty flow", "a.flow.yaml", KindFlow, "", []string{"1:1 empty: file is empty: a flow file needs version, name and flows"}, false},
		{"empty test", "a.test.yaml", KindTest, "# later\n", []string{"1:1 empty: file is empty: a conversation test file needs flow and steps"}, false},
		{"empty config", "flowctl.yaml", KindConfig, "", nil, false},
		{"null config", "flowctl.yaml", KindConfig, "~\n", nil, false},
		{"second document", "a.test.yaml", KindTest, "flow: a.flow.yaml\nsteps: []\n---\nx: 1\n",
			[]string{"3:1 yaml-syntax: a conversation test file holds one YAML document; remove the --- separator"}, true},
		{"trailing separator", "a.test.yaml", KindTest, "flow: a.flow.yaml\nsteps: []\n---\n", nil, true},
		{"broken second document", "o.org.yaml", KindOrg, "organization: {name: A}\n---\nfoo: [1\n",
			[]string{"1:1 required:", "3:6 yaml-syntax: "}, true},
		{"syntax", "a.flow.yaml", KindFlow, "version: [1\n", []string{"1:10 yaml-syntax: "}, false},
		{"too deep", "a.test.yaml", KindTest, "steps: " + strings.Repeat("[", 200), []string{"1:136 limit: document too complex: nested deeper than 128 levels: flowctl reads test files up to 128 levels deep"}, false},
		{"other kind", "x.yaml", KindOrg, "flow: a.flow.yaml\nsteps: []\n", []string{"1:1 other-kind: this is a conversation test file (it has flow and steps), not an org file"}, false},
		{"duplicate key", "flowctl.yaml", KindConfig, "strict: true\nstrict: false\n", []string{`2:1 duplicate-key: key "strict" is duplicated; first defined at line 1, column 1`}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := ReadDocument(tt.file, []byte(tt.src), tt.kind)
			var got []string
			for _, p := range d.Problems {
				got = append(got, strings.Join([]string{strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col), p.Kind + ":", p.Message}, " "))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("problems %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("problem %d: %q, want prefix %q", i, got[i], tt.want[i])
				}
			}
			if (d.Root != nil) != tt.root {
				t.Errorf("root %v, want one: %v", d.Root, tt.root)
			}
		})
	}
}
