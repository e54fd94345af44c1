package simulate

import (
	"strings"
	"testing"
)

// FuzzParseTestFile checks that no test file makes the parser panic.
func FuzzParseTestFile(f *testing.F) {
	for _, s := range []string{
		"flow: a.flow.yaml\nsteps:\n  - bot: Hi\n  - user: x\n  - wait: 5m\n  - closed: agent\n",
		"flow: a\nsteps:\n  - &s { bot: { contains: x } }\n  - *s\n  - agent: { say: hi }\n  - handover: { queue: Q, attributes: { a: 1 } }\n",
		"flow: a\nsteps: [{ <<: { user: x } }]\n",
		"flow: a\nsteps:\n  - bot: { text: x, quickReplies: [a, 1, *r] }\n  - memory: { k: &r [1, {a: null}], n: .5 }\n  - handover: { queue: '', failed: true }\n  - agent: { transferToAgent: B }\n",
		"x: &a [*a]\n",
		"flow: a\nsteps: " + strings.Repeat("[", 300) + strings.Repeat("]", 300),
		"flow: a\nsteps:\n" + strings.Repeat("- ", 300),
		"flow: a\nsteps: " + strings.Repeat("{bot: ", 300),
		"flow: a\nsteps: " + strings.Repeat("[a: ", 300),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		tf, _ := ParseTestFile("f.test.yaml", src)
		if tf == nil {
			t.Fatal("nil test file")
		}
	})
}
