package lsp

import (
	"strings"
)

// presentKeys returns the keys already written in the mapping whose key the
// cursor writes (the cursor's own entry left out), with their values as
// written on their line (quotes and comments trimmed). The file may be
// half typed, so it reads lines: a block mapping's keys are the lines at
// the cursor's key column up to a line less indented; a flow mapping's are
// its entries on the cursor's line.
func presentKeys(t *text, c cursor, off int) map[string]string {
	n := t.lineOf(off)
	if c.openAt >= 0 {
		return flowMappingKeys(t.line(n), c.openAt, off-t.starts[n])
	}
	out := map[string]string{}
	record := func(body string) {
		if k, v, ok := entry(body); ok {
			if _, dup := out[k]; !dup {
				out[k] = v
			}
		}
	}
	// Up to the line that starts the mapping (unless the cursor's line
	// does: its dash starts a new item).
	for i := n - 1; i >= 0 && !c.dashed; i-- {
		ind, keyAt, body, dashed := shape(t.line(i))
		switch {
		case body == "" || strings.HasPrefix(body, "#"), ind > c.keyCol:
			continue
		case ind == c.keyCol && dashed:
			continue // a sequence written at its key's indentation
		case ind == c.keyCol:
			record(body)
			continue
		case dashed && keyAt == c.keyCol:
			record(body) // the item's first key, on its dash line
		}
		break
	}
	for i := n + 1; i < t.lines(); i++ {
		ind, _, body, dashed := shape(t.line(i))
		switch {
		case body == "" || strings.HasPrefix(body, "#"), ind > c.keyCol:
			continue
		case ind == c.keyCol && dashed:
			continue
		case ind == c.keyCol:
			record(body)
			continue
		}
		break
	}
	return out
}

// shape splits a line into its indentation, the column after its dashes,
// what follows them, and whether it has dashes (starts sequence items).
func shape(ln string) (ind, keyAt int, body string, dashed bool) {
	body = strings.TrimLeft(ln, " ")
	ind = len(ln) - len(body)
	for strings.HasPrefix(body, "- ") || body == "-" {
		dashed = true
		body = strings.TrimLeft(strings.TrimPrefix(body, "-"), " ")
	}
	return ind, len(ln) - len(body), body, dashed
}

// entry reads "key: value" (value possibly empty, quoted or followed by a
// comment); ok is false for anything else (a flow collection, a plain
// scalar).
func entry(s string) (key, value string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsRune("{[#", rune(s[0])) {
		return "", "", false
	}
	k, v, found := strings.Cut(s, ":")
	if !found || (v != "" && v[0] != ' ' && v[0] != '\t') {
		return "", "", false
	}
	k = strings.TrimSpace(k)
	if len(k) >= 2 && (k[0] == '"' || k[0] == '\'') && k[len(k)-1] == k[0] {
		k = k[1 : len(k)-1]
	}
	v = strings.TrimSpace(v)
	if i := strings.Index(v, " #"); i >= 0 && v[0] != '"' && v[0] != '\'' {
		v = strings.TrimSpace(v[:i])
	}
	if len(v) > 0 && (v[0] == '"' || v[0] == '\'') {
		if j := closingQuote(v, 0); j > 0 {
			v = v[1:j]
		}
	}
	return k, v, k != ""
}

// flowMappingKeys returns the entries of the flow mapping whose { is at ln[open],
// up to its } or the end of the line, but the one holding column at.
func flowMappingKeys(ln string, open, at int) map[string]string {
	out := map[string]string{}
	depth, start := 0, open+1
	add := func(end int) {
		if at < start || at > end {
			if k, v, ok := entry(ln[start:end]); ok {
				if _, dup := out[k]; !dup {
					out[k] = v
				}
			}
		}
		start = end + 1
	}
	for i := open + 1; i < len(ln); i++ {
		switch ch := ln[i]; {
		case (ch == '"' || ch == '\'') && quoteOpens(ln, i):
			if j := closingQuote(ln, i); j > 0 {
				i = j
			} else {
				i = len(ln)
			}
		case ch == '{' || ch == '[':
			depth++
		case (ch == '}' || ch == ']') && depth > 0:
			depth--
		case ch == '}':
			add(i)
			return out
		case ch == ',' && depth == 0:
			add(i)
		}
	}
	add(len(ln))
	return out
}

// quoteOpens reports whether the quote at s[i] opens a quoted scalar in a
// flow collection: it follows {, [, , or : (and blanks or line breaks);
// elsewhere it is part of a plain scalar (it's, a == "b").
func quoteOpens(s string, i int) bool {
	j := i - 1
	for j >= 0 && strings.IndexByte(" \t\r\n", s[j]) >= 0 {
		j--
	}
	return j < 0 || strings.IndexByte("{[,:", s[j]) >= 0
}
