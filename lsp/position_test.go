package lsp

import (
	"testing"

	"github.com/flowctl/flowctl/flow"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// TestPositions: flowctl counts columns in runes, the protocol in UTF-16
// code units; ä is one of each, 😀 one rune and two units.
func TestPositions(t *testing.T) {
	tx := newText("a: b\nname: \"ä😀x\" # ok\r\nlast")
	tests := []struct {
		name string
		pos  flow.Pos
		want protocol.Position
	}{
		{name: "ascii", pos: flow.Pos{Line: 1, Col: 4}, want: protocol.Position{Line: 0, Character: 3}},
		{name: "after ä", pos: flow.Pos{Line: 2, Col: 9}, want: protocol.Position{Line: 1, Character: 8}},
		{name: "after the emoji", pos: flow.Pos{Line: 2, Col: 10}, want: protocol.Position{Line: 1, Character: 10}},
		{name: "end of a CRLF line", pos: flow.Pos{Line: 2, Col: 17}, want: protocol.Position{Line: 1, Character: 17}},
		{name: "past the end of a line", pos: flow.Pos{Line: 1, Col: 40}, want: protocol.Position{Line: 0, Character: 4}},
		{name: "last line without newline", pos: flow.Pos{Line: 3, Col: 5}, want: protocol.Position{Line: 2, Character: 4}},
		{name: "unknown", pos: flow.Pos{}, want: protocol.Position{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tx.toProtocol(tt.pos)
			if got != tt.want {
				t.Fatalf("toProtocol(%v) = %v, want %v", tt.pos, got, tt.want)
			}
			if tt.pos.Line == 0 || tt.name == "past the end of a line" {
				return
			}
			if back := tx.fromProtocol(got); back != tt.pos {
				t.Errorf("fromProtocol(%v) = %v, want %v", got, back, tt.pos)
			}
			if off := tx.offsetOf(tt.pos); tx.position(off) != got {
				t.Errorf("position(offsetOf(%v)) = %v, want %v", tt.pos, tx.position(off), got)
			}
		})
	}
	// A character inside the emoji's surrogate pair is the emoji's start;
	// one past the line's end is the line's end.
	if off := tx.offset(protocol.Position{Line: 1, Character: 9}); tx.s[off:off+4] != "😀" {
		t.Errorf("offset inside a surrogate pair = %d (%q)", off, tx.s[off:])
	}
	if off := tx.offset(protocol.Position{Line: 0, Character: 99}); off != 4 {
		t.Errorf("offset past the end of a line = %d, want 4", off)
	}
	if off := tx.offset(protocol.Position{Line: 9, Character: 0}); off != len(tx.s) {
		t.Errorf("offset past the last line = %d", off)
	}
}

// TestLoneCR: a lone \r ends a line, as in the protocol and in yaml.v3.
func TestLoneCR(t *testing.T) {
	tx := newText("a\rb\r\nc\n")
	if tx.lines() != 4 || tx.line(0) != "a" || tx.line(1) != "b" || tx.line(2) != "c" || tx.line(3) != "" {
		t.Errorf("lines: %d %q %q %q", tx.lines(), tx.line(0), tx.line(1), tx.line(2))
	}
	if p := tx.toProtocol(flow.Pos{Line: 3, Col: 2}); p != (protocol.Position{Line: 2, Character: 1}) {
		t.Errorf("toProtocol: %v", p)
	}
}

// TestApply: incremental edits with UTF-16 ranges.
func TestApply(t *testing.T) {
	tx := newText("x: ä😀y\nz")
	got := tx.apply(protocol.Range{Start: protocol.Position{Line: 0, Character: 4}, End: protocol.Position{Line: 0, Character: 6}}, "🙂🙂")
	if got != "x: ä🙂🙂y\nz" {
		t.Errorf("replace the emoji: %q", got)
	}
	got = tx.apply(protocol.Range{Start: protocol.Position{Line: 1, Character: 1}, End: protocol.Position{Line: 0, Character: 6}}, "")
	if got != "x: ä😀" {
		t.Errorf("reversed range: %q", got)
	}
}

func TestTokenAt(t *testing.T) {
	tests := []struct {
		line, at, value, written string
	}{
		{line: `next: "a b" # c`, at: `"a b"`, value: "a b", written: `"a b"`},
		{line: `next: 'it''s' # c`, at: `'it''s'`, value: "it''s", written: `'it''s'`},
		{line: `next: plain text # c`, at: "plain", value: "plain text", written: "plain text"},
		{line: `- { id: a, next: b }`, at: "b }", value: "b", written: "b"},
		{line: `colour: never`, at: "colour", value: "colour", written: "colour"},
		{line: `open: "unclosed`, at: `"unclosed`, value: "unclosed", written: `"unclosed`},
		{line: `empty:`, at: ":", value: "", written: ":"},
	}
	for _, tt := range tests {
		tx := newText(tt.line)
		off := len(tt.line) - len(tt.line[indexOf(tt.line, tt.at):])
		tk := tokenAt(tx, off)
		if tk.value(tx) != tt.value || tx.s[tk.start:tk.end] != tt.written {
			t.Errorf("%q at %q: value %q written %q, want %q and %q", tt.line, tt.at, tk.value(tx), tx.s[tk.start:tk.end], tt.value, tt.written)
		}
	}
}

func indexOf(s, sub string) int {
	for i := range s {
		if len(s)-i >= len(sub) && s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
