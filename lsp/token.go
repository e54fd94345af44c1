package lsp

import (
	"strings"
	"unicode/utf8"
)

// token is a YAML scalar written on one line: its bytes [start, end) in
// the text, quotes included, and its value's bytes [from, to).
type token struct {
	start, end int
	from, to   int
	quote      byte // '"', '\'' or 0
}

// value returns the token's text without quotes (escapes as written).
func (tk token) value(t *text) string { return t.s[tk.from:tk.to] }

// tokenAt returns the scalar that starts at byte offset off: a quoted one
// to its closing quote, a plain one to the end of the line, a comment, a
// ": " or, inside a flow collection, the next , ] or }. An empty token
// where text follows is one character wide, so that it can be shown.
func tokenAt(t *text, off int) token {
	n := t.lineOf(off)
	lineStart := t.starts[n]
	ln := t.line(n)
	i := off - lineStart
	if i < 0 || i > len(ln) {
		return token{start: off, end: off, from: off, to: off}
	}
	if i < len(ln) && (ln[i] == '"' || ln[i] == '\'') {
		q := ln[i]
		j := closingQuote(ln, i)
		if j < 0 {
			return token{start: off, end: lineStart + len(ln), from: off + 1, to: lineStart + len(ln), quote: q}
		}
		return token{start: off, end: lineStart + j + 1, from: off + 1, to: lineStart + j, quote: q}
	}
	inFlow := strings.ContainsAny(ln[:i], "{[")
	j := i
	for j < len(ln) {
		c := ln[j]
		if c == '#' && j > 0 && (ln[j-1] == ' ' || ln[j-1] == '\t') {
			break
		}
		if c == ':' && (j+1 == len(ln) || ln[j+1] == ' ') {
			break
		}
		if inFlow && (c == ',' || c == ']' || c == '}') {
			break
		}
		j++
	}
	end := i + len(strings.TrimRight(ln[i:j], " \t"))
	tk := token{start: off, end: lineStart + end, from: off, to: lineStart + end}
	if tk.end == tk.start && i < len(ln) {
		_, w := utf8.DecodeRuneInString(ln[i:])
		tk.end = off + w
	}
	return tk
}

// closingQuote returns the index of the quote closing the one at ln[i], or
// -1 (” is an escaped quote in single quotes, \" in double quotes).
func closingQuote(ln string, i int) int {
	q := ln[i]
	for j := i + 1; j < len(ln); j++ {
		switch {
		case q == '"' && ln[j] == '\\':
			j++
		case ln[j] == q && q == '\'' && j+1 < len(ln) && ln[j+1] == '\'':
			j++
		case ln[j] == q:
			return j
		}
	}
	return -1
}

// wordAt returns the bytes [from, to) of the name around byte offset off:
// letters, digits, _, - and . (block ids, rule ids, memory keys).
func wordAt(t *text, off int) (int, int) {
	isName := func(c byte) bool {
		return c == '_' || c == '-' || c == '.' || c >= 0x80 ||
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
	}
	from, to := off, off
	for from > 0 && isName(t.s[from-1]) && t.s[from-1] != '\n' {
		from--
	}
	for to < len(t.s) && isName(t.s[to]) {
		to++
	}
	return from, to
}
