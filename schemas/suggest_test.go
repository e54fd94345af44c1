package schemas

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestMisspeltFields: an unknown field that misspells a declared one says
// "did you mean", in every kind of file, and a misspelt required field is
// one problem, not a second "missing required field".
func TestMisspeltFields(t *testing.T) {
	tests := []struct {
		name, schema, src string
		want              []string // "line:col message"
	}{
		{name: "block type", schema: FlowShape,
			src:  "version: 1\nname: x\nflows:\n  main:\n    start: a\n    blocks:\n      - id: a\n        tpye: say\n        quickreplies: [a]\n        onerror: a\n",
			want: []string{`8:9 unknown field "tpye"; did you mean "type"?`, `9:9 unknown field "quickreplies"; did you mean "quickReplies"?`, `10:9 unknown field "onerror"; did you mean "onError"?`}},
		{name: "session", schema: FlowShape,
			src:  "version: 1\nname: x\nsession: {maxinactivity: 1m}\nflows: {m: {start: a, blocks: []}}\n",
			want: []string{`3:11 unknown field "maxinactivity"; did you mean "maxInactivity"?`}},
		{name: "one of several required fields", schema: FlowShape,
			src:  "version: 1\nnmae: x\n",
			want: []string{`1:1 missing required field "flows"`, `2:1 unknown field "nmae"; did you mean "name"?`}},
		{name: "no absurd suggestion", schema: FlowShape,
			src:  "version: 1\nname: x\nflows: {m: {start: a, blocks: []}}\ncc: 1\n",
			want: []string{`4:1 unknown field "cc"`}},
		{name: "org file", schema: "org",
			src:  "organization: {name: A}\ndivisions: [{name: H}]\nqueues: []\nroles: []\noauthClients: []\noauthClient: []\n",
			want: []string{`6:1 unknown field "oauthClient"; did you mean "oauthClients"?`}},
		{name: "empty list", schema: "org",
			src:  "organization: {name: A}\ndivisions: []\nqueues: []\nroles: []\noauthClients: []\n",
			want: []string{`2:12 must not be empty`}},
		{name: "test file", schema: "test",
			src:  "flwo: x.flow.yaml\nsteps: []\n",
			want: []string{`1:1 unknown field "flwo"; did you mean "flow"?`}},
		{name: "inside an alternative", schema: "test",
			src:  "flow: x.flow.yaml\nsteps:\n  - bot: {contans: hi}\n",
			want: []string{`3:11 unknown field "contans"; did you mean "contains"?`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.src), &doc); err != nil {
				t.Fatal(err)
			}
			ps, err := Validate(tt.schema, &doc)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, fmt.Sprintf("%d:%d %s", p.Line, p.Col, p.Message))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
