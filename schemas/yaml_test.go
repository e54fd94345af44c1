package schemas

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func parse(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func keys(n *yaml.Node) []string {
	var out []string
	Each(n, func(k, v *yaml.Node) { out = append(out, k.Value+"="+v.Value) })
	return out
}

func TestEach(t *testing.T) {
	tests := []struct{ src, want string }{
		{"{a: 1, b: 2, a: 3}", "a=1 b=2"},                     // first value wins
		{"{<<: {a: 0, c: 4}, a: 1}", "a=1 c=4"},               // own keys win over merged
		{"{<<: [{c: 1}, {c: 2, d: 3}], b: 0}", "b=0 c=1 d=3"}, // first merged source wins
		{"x: &m {k: v}\ny: {<<: *m, z: 1}", "x= y="},          // top level
		{"{? [not, scalar] : 1, ok: 2}", "ok=2"},              // non-scalar keys skipped
		{"[1, 2]", ""},                                        // not a mapping
	}
	for _, tt := range tests {
		if got := strings.Join(keys(parse(t, tt.src)), " "); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.src, got, tt.want)
		}
	}
	merged := parse(t, "x: &m {k: v}\ny: {<<: *m, z: 1}")
	if got := keys(merged.Content[3]); !slices.Equal(got, []string{"z=1", "k=v"}) {
		t.Errorf("alias merge: %v", got)
	}
	var big strings.Builder
	for i := range 100 {
		fmt.Fprintf(&big, "k%d: %d\n", i%60, i)
	}
	if got := keys(parse(t, big.String())); len(got) != 60 || got[0] != "k0=0" {
		t.Errorf("large mapping: %d keys, first %v", len(got), got[:1])
	}
}

func TestDuplicateKeys(t *testing.T) {
	doc := parse(t, "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n<<: {x: 1}\n")
	var got []string
	for _, d := range DuplicateKeys(doc) {
		got = append(got, fmt.Sprintf("%s@%d:%d first %d:%d", d.Key.Value, d.Key.Line, d.Key.Column, d.First.Line, d.First.Column))
	}
	want := []string{"a@5:1 first 1:1", "c@4:3 first 3:3"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestSyntaxProblem(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		msg       string
	}{
		{"a: 1\n\tb: 2\n", 2, 1, "a tab indents this line"},
		{"a: \"open\nb: 1\n", 1, 4, "is a quote left open?"},
		{"a:\n  b: 1\n c: 2\n", 3, 2, "check the indentation"},
	}
	for _, tt := range tests {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(tt.src), &n)
		if err == nil {
			t.Fatalf("%q parsed", tt.src)
		}
		p := SyntaxProblem([]byte(tt.src), err)
		if p.Line != tt.line || p.Col != tt.col || !strings.Contains(p.Message, tt.msg) {
			t.Errorf("%q: got %d:%d %q, want %d:%d containing %q", tt.src, p.Line, p.Col, p.Message, tt.line, tt.col, tt.msg)
		}
	}
}

// TestSyntaxProblemLarge: a document too large for the goccy/go-yaml
// re-parse (a mapping of 100,000 keys takes it seconds) keeps yaml.v3's
// line; a 10,000-block flow still gets goccy's column.
func TestSyntaxProblemLarge(t *testing.T) {
	var big strings.Builder
	for i := range 100_000 {
		fmt.Fprintf(&big, "k%d: v\n", i)
	}
	big.WriteString("z: [\n")
	src := []byte(big.String())
	if reparseBounded(src) {
		t.Fatal("a mapping of 100,000 keys would be parsed again")
	}
	var n yaml.Node
	err := yaml.Unmarshal(src, &n)
	if err == nil {
		t.Fatal("parsed")
	}
	if p := SyntaxProblem(src, err); p.Line != 100_001 || p.Col != 1 {
		t.Errorf("got %d:%d %q", p.Line, p.Col, p.Message)
	}
	var blocks strings.Builder
	blocks.WriteString("flows:\n  main:\n    blocks:\n")
	for i := range 10_000 {
		fmt.Fprintf(&blocks, "      - id: b%d\n        type: say\n        text: \"Hi {memory.name}\"\n        input: true\n        outputs:\n          - { when: 'nlu.intent == \"x\"', next: b%d }\n          - next: b%d\n", i, i+1, i+2)
	}
	if !reparseBounded([]byte(blocks.String())) {
		t.Error("a 10,000-block flow would not be parsed again")
	}
}
