package lsp

import (
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/flowctl/flowctl/flow"
	protocol "github.com/tliron/glsp/protocol_3_16"
	"gopkg.in/yaml.v3"
)

// Positions: flowctl's are 1-based lines and columns counted in runes (as
// yaml.v3 counts them); the protocol's are 0-based lines and characters
// counted in UTF-16 code units. A text converts between them exactly.

// text is a document's content with its line starts.
type text struct {
	s      string
	starts []int // byte offset of each line's first byte
}

// newText indexes s. Lines end at \n, \r\n or a lone \r, as the protocol
// and the YAML parser count them.
func newText(s string) *text {
	starts := make([]int, 1, strings.Count(s, "\n")+1)
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' || (s[i] == '\r' && (i+1 == len(s) || s[i+1] != '\n')) {
			starts = append(starts, i+1)
		}
	}
	return &text{s: s, starts: starts}
}

// lines is the number of lines (a final line without a newline counts).
func (t *text) lines() int { return len(t.starts) }

// line returns 0-based line n without its line break ("" past the end).
func (t *text) line(n int) string {
	if n < 0 || n >= len(t.starts) {
		return ""
	}
	end := len(t.s)
	if n+1 < len(t.starts) {
		end = t.starts[n+1] - 1
	}
	return strings.TrimSuffix(t.s[t.starts[n]:end], "\r")
}

// offset returns the byte offset of a protocol position, clamped to its
// line (a character past the end is the end of the line; one inside a
// surrogate pair is the rune's start) and to the text.
func (t *text) offset(p protocol.Position) int {
	n := int(p.Line)
	if n >= len(t.starts) {
		return len(t.s)
	}
	ln := t.line(n)
	return t.starts[n] + byteOfUTF16(ln, int(p.Character))
}

// byteOfUTF16 returns the byte offset in s of UTF-16 unit u (clamped).
func byteOfUTF16(s string, u int) int {
	units := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1
		}
		if units+w > u {
			return i
		}
		units += w
	}
	return len(s)
}

// position returns the protocol position of a byte offset.
func (t *text) position(off int) protocol.Position {
	off = min(max(off, 0), len(t.s))
	n := t.lineOf(off)
	start := t.starts[n]
	prefix := t.s[start:off]
	return protocol.Position{Line: protocol.UInteger(n), Character: protocol.UInteger(utf16Len(prefix))}
}

// lineOf returns the 0-based line holding byte offset off.
func (t *text) lineOf(off int) int {
	return max(sort.SearchInts(t.starts, off+1)-1, 0)
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 && r <= utf8.MaxRune {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// toProtocol converts a flowctl position (1-based, rune column) to a
// protocol position. The unknown position (0:0) is the file's start; a
// column past the line's end is its end.
func (t *text) toProtocol(p flow.Pos) protocol.Position {
	if p.Line < 1 {
		return protocol.Position{}
	}
	ln := t.line(p.Line - 1)
	return protocol.Position{Line: protocol.UInteger(p.Line - 1), Character: protocol.UInteger(utf16Len(ln[:byteOfRune(ln, p.Col-1)]))}
}

// fromProtocol converts a protocol position to flowctl's.
func (t *text) fromProtocol(p protocol.Position) flow.Pos {
	ln := t.line(int(p.Line))
	b := byteOfUTF16(ln, int(p.Character))
	return flow.Pos{Line: int(p.Line) + 1, Col: utf8.RuneCountInString(ln[:b]) + 1}
}

// byteOfRune returns the byte offset of rune n of s (clamped to len(s)).
func byteOfRune(s string, n int) int {
	if n <= 0 {
		return 0
	}
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// offsetOf returns the byte offset of a flowctl position.
func (t *text) offsetOf(p flow.Pos) int {
	if p.Line < 1 || p.Line > len(t.starts) {
		return 0
	}
	return t.starts[p.Line-1] + byteOfRune(t.line(p.Line-1), p.Col-1)
}

// span returns the protocol range of bytes [from, to).
func (t *text) span(from, to int) protocol.Range {
	return protocol.Range{Start: t.position(from), End: t.position(to)}
}

// apply returns the text with a range replaced.
func (t *text) apply(r protocol.Range, repl string) string {
	from, to := t.offset(r.Start), t.offset(r.End)
	if to < from {
		from, to = to, from
	}
	return t.s[:from] + repl + t.s[to:]
}

// posOfNode is a yaml.v3 node's position.
func posOfNode(n *yaml.Node) flow.Pos { return flow.Pos{Line: n.Line, Col: n.Column} }
