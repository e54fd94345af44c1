package simulate

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseTestFileProblems checks that every problem of a test file is
// reported at its line and column: duplicate keys, which YAML would
// silently drop, and schema problems together with the problems of the
// steps the schema accepted.
func TestParseTestFileProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // line:col: message, in order
	}{
		{
			name: "two flow keys",
			src:  "flow: a.flow.yaml\nflow: b.flow.yaml\nsteps: []\n",
			want: []string{`2:1: key "flow" is duplicated; first defined at line 1, column 1`},
		},
		{
			name: "two steps lists",
			src:  "flow: a.flow.yaml\nsteps:\n  - bot: Hi\nsteps:\n  - user: hello\n",
			want: []string{`4:1: key "steps" is duplicated; first defined at line 2, column 1`},
		},
		{
			name: "one kind twice in a step",
			src:  "flow: a.flow.yaml\nsteps:\n  - bot: Hi\n    bot: Hello\n",
			want: []string{`4:5: key "bot" is duplicated; first defined at line 3, column 5`},
		},
		{
			name: "an attribute twice",
			src:  "flow: a.flow.yaml\nsteps:\n  - handover: { queue: Q, attributes: { a: 1, a: 2 } }\n",
			want: []string{`3:47: key "a" is duplicated; first defined at line 3, column 41`},
		},
		{
			name: "a second document",
			src:  "flow: a.flow.yaml\nsteps:\n  - bot: Hi\n---\nsteps: []\n",
			want: []string{`4:1: YAML: a conversation test file holds one YAML document; remove the --- separator or split the file`},
		},
		{
			name: "a broken second document",
			src:  "flow: a.flow.yaml\nsteps:\n  - bot: Hi\n---\nsteps: [\n",
			want: []string{`5:8: YAML: sequence end token`},
		},
		{
			name: "an empty file",
			src:  "# nothing yet\n",
			want: []string{`1:1: file is empty: a conversation test file needs flow and steps`},
		},
		{
			name: "a merge key is no duplicate",
			src:  "flow: a.flow.yaml\nsteps:\n  - bot: { <<: { contains: x } }\n  - { <<: { user: hi } }\n",
		},
		{
			name: "schema and step problems together",
			src:  "flow: a.flow.yaml\nsteps:\n  - frob: 1\n  - wait: abc\n  - bot: { matches: '(' }\n  - closed: nope\n  - wait: 5m\n",
			want: []string{
				`3:5: unknown step kind "frob"`,
				`4:11: wait: bad duration "abc"`,
				`5:21: bad regular expression "("`,
				`6:13: steps[3].closed: got "nope"`,
			},
		},
		{
			name: "missing flow and a bad step",
			src:  "steps:\n  - wait: abc\n",
			want: []string{`1:1: missing required field "flow"`, `2:11: wait: bad duration "abc"`},
		},
		{
			name: "one problem per value that may take several forms",
			src:  "flow: a.flow.yaml\nsteps:\n  - agent: dance\n  - handover: { queue: X, failed: maybe }\n  - { bot: Hi, user: x }\n  - agent: { say: hi, transfer: Q }\n",
			want: []string{
				`3:12: steps[0].agent: got "dance", want one of "join", "close", "timeout" or a mapping such as {say: ...}`,
				`4:35: steps[1].handover.failed: got string, want boolean`,
				`5:5: a step has exactly one of `,
				`6:12: steps[3].agent: got 2 fields, want one of say, transfer or transferToAgent`,
			},
		},
		{
			name: "client without org",
			src:  "flow: a.flow.yaml\nclient: Bot\nsteps:\n  - wait: abc\n",
			want: []string{"2:9: client names an OAuth client of the org file: set org too", `4:11: wait: bad duration "abc"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := ParseTestFile("x.test.yaml", []byte(tt.src))
			var got []string
			for _, p := range ps {
				got = append(got, fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Message))
			}
			ok := len(got) == len(tt.want)
			for i := 0; ok && i < len(got); i++ {
				ok = strings.HasPrefix(got[i], tt.want[i])
			}
			if !ok {
				t.Errorf("problems:\n%s\nwant (prefixes):\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
