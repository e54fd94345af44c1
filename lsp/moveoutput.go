package lsp

import (
	"slices"
	"strings"

	"github.com/flowctl/flowctl/flow"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// moveDefaultLast moves the output a default-not-last finding is about
// after the block's last output: whole lines, for outputs written one item
// per line ("- next: x" or "- { next: x }"); the items of a flow sequence
// ("[ { next: x }, { when: c, next: y } ]") rewritten in the new order;
// nil otherwise.
func moveDefaultLast(an *analysis, f flow.Finding) []protocol.TextEdit {
	var outs []*flow.Output
	flowName, block, idx := "", -1, -1
	for _, fl := range an.project.Flows {
		for bi, b := range fl.Blocks {
			for i, o := range b.Outputs {
				if o.Pos.Line == f.Line && o.Pos.Col == f.Column {
					outs, idx, flowName, block = b.Outputs, i, fl.Name, bi
				}
			}
		}
	}
	if idx < 0 || idx == len(outs)-1 {
		return nil
	}
	if edits := moveLines(an.text, outs, idx); edits != nil {
		return edits
	}
	from, to, repl, ok := moveInSequence(an.text, outs, idx)
	if !ok || !reordered(an, flowName, block, outs, idx, an.text.s[:from]+repl+an.text.s[to:]) {
		return nil
	}
	return []protocol.TextEdit{{Range: an.text.span(from, to), NewText: repl}}
}

// moveLines moves the lines of outs[idx] after those of the last output,
// when each output is an item of a block sequence; nil otherwise.
func moveLines(t *text, outs []*flow.Output, idx int) []protocol.TextEdit {
	lines := func(o *flow.Output) (int, int, bool) {
		ln := t.line(o.Pos.Line - 1)
		prefix := ln[:byteOfRune(ln, o.Pos.Col-1)]
		if strings.TrimSpace(strings.TrimRight(strings.TrimSpace(prefix), "-")) != "" || !strings.HasSuffix(strings.TrimRight(prefix, " "), "-") {
			return 0, 0, false
		}
		r := extent(t, o.Pos, o.Pos.Col-1, true)
		return o.Pos.Line - 1, int(r.End.Line), true
	}
	from, to, ok := lines(outs[idx])
	_, lastEnd, ok2 := lines(outs[len(outs)-1])
	if !ok || !ok2 || lastEnd <= to {
		return nil
	}
	cut := func(l int) int { // byte offset of the start of line l
		if l >= t.lines() {
			return len(t.s)
		}
		return t.starts[l]
	}
	item := t.s[cut(from):cut(to+1)]
	insertAt := cut(lastEnd + 1)
	if !strings.HasSuffix(item, "\n") {
		item += "\n"
	}
	if insertAt == len(t.s) && !strings.HasSuffix(t.s, "\n") {
		item = "\n" + strings.TrimSuffix(item, "\n")
	}
	return []protocol.TextEdit{
		{Range: t.span(cut(from), cut(to+1)), NewText: ""},
		{Range: t.span(insertAt, insertAt), NewText: item},
	}
}

// moveInSequence rewrites the items of the flow sequence that holds outs
// with outs[idx] last: the bytes [from, to) from the first item's start to
// the last one's end, and their replacement, in which the separators
// (commas, spaces, line breaks) stay where they were. ok is false when the
// outputs are not the items of one flow sequence, or it holds a comment.
func moveInSequence(t *text, outs []*flow.Output, idx int) (from, to int, repl string, ok bool) {
	first := t.offsetOf(outs[0].Pos)
	open := first - 1
	for open >= 0 && strings.IndexByte(" \t\r\n", t.s[open]) >= 0 {
		open--
	}
	if open < 0 || t.s[open] != '[' {
		return 0, 0, "", false
	}
	items, ok := flowItems(t.s, open)
	if !ok || len(items) != len(outs) {
		return 0, 0, "", false
	}
	for i, it := range items {
		if it[0] != t.offsetOf(outs[i].Pos) {
			return 0, 0, "", false
		}
	}
	order := append(slices.Delete(slices.Clone(items), idx, idx+1), items[idx])
	var b strings.Builder
	for i, it := range order {
		b.WriteString(t.s[it[0]:it[1]])
		if i+1 < len(items) {
			b.WriteString(t.s[items[i][1]:items[i+1][0]]) // the separator that was here
		}
	}
	return items[0][0], items[len(items)-1][1], b.String(), true
}

// flowItems returns the bytes [start, end) of each item of the flow
// sequence whose [ is at s[open], blanks around them left out; ok is false
// when the sequence is not closed or holds a comment.
func flowItems(s string, open int) (items [][2]int, ok bool) {
	depth, start, end := 0, -1, -1
	closeItem := func() {
		if start >= 0 {
			items = append(items, [2]int{start, end})
		}
		start = -1
	}
	for i := open + 1; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n':
			continue
		case ch == '#' && strings.IndexByte(" \t\r\n", s[i-1]) >= 0:
			return nil, false // a comment: its text would move with the items
		case (ch == '"' || ch == '\'') && quoteOpens(s, i):
			j := closingQuote(s, i)
			if j < 0 {
				return nil, false
			}
			if start < 0 {
				start = i
			}
			i, end = j, j+1
			continue
		case ch == '{' || ch == '[':
			depth++
		case (ch == '}' || ch == ']') && depth > 0:
			depth--
		case ch == ']':
			closeItem()
			return items, true
		case ch == '}':
			return nil, false
		case ch == ',' && depth == 0:
			closeItem()
			continue
		}
		if start < 0 {
			start = i
		}
		end = i + 1
	}
	return nil, false
}

// reordered reports whether src, parsed, has the block's outputs in the
// new order: outs[idx] moved last, the others as they were.
func reordered(an *analysis, flowName string, block int, outs []*flow.Output, idx int, src string) bool {
	fl := flow.Parse(an.path, []byte(src)).Flow(flowName)
	if fl == nil || block >= len(fl.Blocks) {
		return false
	}
	got := fl.Blocks[block].Outputs
	want := append(slices.Delete(slices.Clone(outs), idx, idx+1), outs[idx])
	if len(got) != len(want) {
		return false
	}
	key := func(o *flow.Output) string {
		if o.When == nil {
			return "\x00" + o.Next.Name
		}
		return o.When.Source + "\x00" + o.Next.Name
	}
	for i := range got {
		if key(got[i]) != key(want[i]) {
			return false
		}
	}
	return true
}
