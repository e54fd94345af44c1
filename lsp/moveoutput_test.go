package lsp

import (
	"strings"
	"testing"
)

// TestFlowItems: the items of a flow sequence, with nested collections,
// quotes (escaped quotes, brackets and commas in them), line breaks and a
// trailing comma; a comment or an unclosed sequence is refused.
func TestFlowItems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // nil: refused
	}{
		{name: "plain", src: `[a, b,c]`, want: []string{"a", "b", "c"}},
		{name: "nested", src: `[ { a: [1, 2], b: { c: d } }, {e: f} ]`, want: []string{"{ a: [1, 2], b: { c: d } }", "{e: f}"}},
		{name: "quotes", src: `[ { w: 'it''s, ]', n: x }, { w: "a\", }", n: y } ]`, want: []string{`{ w: 'it''s, ]', n: x }`, `{ w: "a\", }", n: y }`}},
		{name: "quote inside a plain scalar", src: `[ { w: a == "b", n: x }, c ]`, want: []string{`{ w: a == "b", n: x }`, "c"}},
		{name: "lines and a trailing comma", src: "[\n  { n: x },\n  { n: y },\n]", want: []string{"{ n: x }", "{ n: y }"}},
		{name: "comment", src: "[\n  { n: x }, # first\n  { n: y }\n]"},
		{name: "unclosed", src: `[ { n: x }, { n: y }`},
		{name: "unclosed quote", src: `[ { n: "x }, { n: y } ]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, ok := flowItems(tt.src, 0)
			var got []string
			for _, it := range items {
				got = append(got, tt.src[it[0]:it[1]])
			}
			if ok != (tt.want != nil) || strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q (ok %v), want %q", got, ok, tt.want)
			}
		})
	}
}
