package flow

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/flowctl/flowctl/schemas"
	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest flow file flowctl reads (8 MiB, as for test
// and org files). Larger files get a file-size finding instead of being
// parsed.
const MaxFileSize = schemas.MaxFileSize

// lineIndex maps byte offsets of a source to lines, for snippets and for
// positions inside scalars.
type lineIndex struct {
	src    []byte
	starts []int // byte offset of each line's first byte
}

func newLineIndex(src []byte) *lineIndex {
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{src: src, starts: starts}
}

// line returns the text of 1-based line n without its newline.
func (li *lineIndex) line(n int) string { return string(li.lineBytes(n)) }

// lineBytes is line without copying the text.
func (li *lineIndex) lineBytes(n int) []byte {
	if n < 1 || n > len(li.starts) {
		return nil
	}
	end := len(li.src)
	if n < len(li.starts) {
		end = li.starts[n] - 1
	}
	return bytes.TrimSuffix(li.src[li.starts[n-1]:end], []byte("\r"))
}

// SourceLine returns 1-based line n of a file's source, for snippets.
func SourceLine(src []byte, n int) string { return newLineIndex(src).line(n) }

// posOf returns a node's position.
func posOf(n *yaml.Node) Pos {
	if n == nil {
		return Pos{}
	}
	return Pos{Line: n.Line, Col: n.Column}
}

// scalarPos returns a function mapping a rune offset in a scalar's value to
// its file position. It is exact for single-line plain and quoted scalars
// without escapes, and falls back to the node's position otherwise.
//
// The function holds two numbers, not the node: the model outlives the
// YAML tree.
func (li *lineIndex) scalarPos(n *yaml.Node) posFunc {
	base := posOf(n)
	fallback := func(int) Pos { return base }
	if strings.ContainsRune(n.Value, '\n') {
		return fallback
	}
	shift := 0
	switch n.Style {
	case 0, yaml.FlowStyle:
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		shift = 1
	default:
		return fallback
	}
	line := li.lineBytes(n.Line)
	start := byteIndexOfRune(line, n.Column-1+shift)
	if start < 0 || len(line)-start < len(n.Value) || string(line[start:start+len(n.Value)]) != n.Value {
		return fallback
	}
	col := base.Col + shift
	return func(off int) Pos { return Pos{Line: base.Line, Col: col + off} }
}

// byteIndexOfRune returns the byte offset of the n-th rune of s (0-based),
// or -1 when s is shorter.
func byteIndexOfRune(s []byte, n int) int {
	if n < 0 {
		return -1
	}
	for i := 0; i < len(s); {
		if n == 0 {
			return i
		}
		_, size := utf8.DecodeRune(s[i:])
		i += size
		n--
	}
	if n == 0 {
		return len(s)
	}
	return -1
}

// checkBytes reports files that are not text: too large, binary or invalid
// UTF-8. It returns false when the file must not be parsed.
func checkBytes(file string, src []byte, li *lineIndex) (Finding, bool) {
	if len(src) > MaxFileSize {
		return tooLarge(file, int64(len(src))), false
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		p := li.posAtByte(i)
		return Finding{File: file, Line: p.Line, Column: p.Col, Severity: SeverityError, Rule: RuleYAMLSyntax,
			Message: "binary file (NUL byte): a flow file is UTF-8 YAML text"}, false
	}
	if !utf8.Valid(src) {
		i := 0
		for i < len(src) {
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		p := li.posAtByte(i)
		return Finding{File: file, Line: p.Line, Column: p.Col, Severity: SeverityError, Rule: RuleYAMLSyntax,
			Message: fmt.Sprintf("invalid UTF-8 (byte 0x%02x): save the file as UTF-8", src[i])}, false
	}
	return Finding{}, true
}

func tooLarge(file string, size int64) Finding {
	return Finding{File: file, Line: 1, Column: 1, Severity: SeverityError, Rule: RuleFileSize,
		Message: fmt.Sprintf("file is %.1f MiB; flow files are limited to %d MiB: split the project", float64(size)/(1<<20), MaxFileSize>>20)}
}

// posAtByte returns the position of a byte offset (column in runes).
func (li *lineIndex) posAtByte(off int) Pos {
	lo := max(sort.SearchInts(li.starts, off+1)-1, 0) // the last line starting at or before off
	prefix := li.src[li.starts[lo]:off]
	col := 1
	for len(prefix) > 0 {
		_, size := utf8.DecodeRune(prefix)
		prefix = prefix[size:]
		col++
	}
	return Pos{Line: lo + 1, Col: col}
}
