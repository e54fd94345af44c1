package lsp

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/lazyre"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// suggestionRe finds the names a "did you mean" message suggests.
var (
	didYouMeanRe = lazyre.New(`did you mean ((?:"(?:[^"\\]|\\.)*"(?: or )?)+)`)
	quotedRe     = lazyre.New(`"(?:[^"\\]|\\.)*"`)
)

// codeAction offers quick fixes for the findings in the range: the
// suggestion of every "did you mean" (unknown-next, queue-name-mismatch),
// the queue name with its white space trimmed, and the default output
// moved last.
func (s *Server) codeAction(_ *glsp.Context, p *protocol.CodeActionParams) (any, error) {
	d, an := s.doc(p.TextDocument.URI)
	out := []protocol.CodeAction{}
	if d == nil || an.kind != kindFlow {
		return out, nil
	}
	for _, f := range an.findings {
		diag := diagnostic(an.text, f)
		if !overlaps(diag.Range, p.Range) {
			continue
		}
		fix := func(title string, edits ...protocol.TextEdit) {
			for _, a := range out {
				if slices.Equal(a.Edit.Changes[d.uri], edits) {
					return // one problem may have two findings (case and spacing)
				}
			}
			out = append(out, protocol.CodeAction{
				Title:       title,
				Kind:        ptr(protocol.CodeActionKindQuickFix),
				Diagnostics: []protocol.Diagnostic{diag},
				IsPreferred: ptr(len(out) == 0),
				Edit:        &protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{d.uri: edits}},
			})
		}
		tk := tokenAt(an.text, an.text.offsetOf(flow.Pos{Line: f.Line, Col: f.Column}))
		if f.Rule == flow.RuleDefaultNotLast {
			if edits := moveDefaultLast(an, f); edits != nil {
				fix("Move the default output last", edits...)
			}
			continue
		}
		for _, name := range suggestions(f.Message) {
			title := fmt.Sprintf("Replace with %q", name)
			if f.Rule == flow.RuleRedirectQueueWhitespace {
				title = fmt.Sprintf("Trim white space in the queue name: %q", name)
			}
			fix(title, renameEdit(an.text, tk, name))
		}
	}
	return out, nil
}

// suggestions returns the names a message suggests with "did you mean".
func suggestions(msg string) []string {
	m := didYouMeanRe.FindStringSubmatch(msg)
	if m == nil {
		return nil
	}
	var out []string
	for _, q := range quotedRe.FindAllString(m[1], -1) {
		if s, err := strconv.Unquote(q); err == nil {
			out = append(out, s)
		}
	}
	return out
}

func overlaps(a, b protocol.Range) bool {
	less := func(x, y protocol.Position) bool {
		return x.Line < y.Line || (x.Line == y.Line && x.Character < y.Character)
	}
	return !less(a.End, b.Start) && !less(b.End, a.Start)
}

// moveDefaultLast moves the output a default-not-last finding is about
// after the block's last output: whole lines, for outputs written one
// item per line ("- next: x" or "- { next: x }"); nil otherwise.
func moveDefaultLast(an *analysis, f flow.Finding) []protocol.TextEdit {
	t := an.text
	var outs []*flow.Output
	idx := -1
	for _, fl := range an.project.Flows {
		for _, b := range fl.Blocks {
			for i, o := range b.Outputs {
				if o.Pos.Line == f.Line && o.Pos.Col == f.Column {
					outs, idx = b.Outputs, i
				}
			}
		}
	}
	if idx < 0 || idx == len(outs)-1 {
		return nil
	}
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
