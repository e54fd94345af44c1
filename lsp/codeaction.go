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
// suggestion of every "did you mean" (in flow, test and config files: an
// unknown-next, a queue-name-mismatch, a misspelt field or rule id), the
// queue name with its white space trimmed, and the default output moved
// last.
func (s *Server) codeAction(_ *glsp.Context, p *protocol.CodeActionParams) (any, error) {
	d, an := s.doc(p.TextDocument.URI)
	out := []protocol.CodeAction{}
	if d == nil {
		return out, nil
	}
	findings := an.findings
	if an.kind == kindTest {
		findings = an.problems
	}
	for _, f := range findings {
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
		switch {
		case an.kind == kindFlow && f.Rule == flow.RuleDefaultNotLast:
			if edits := moveDefaultLast(an, f); edits != nil {
				fix("Move the default output last", edits...)
			}
		case an.kind == kindFlow && f.Rule == flow.RuleRedirectQueueWhitespace:
			if name, ok := trimmedQueue(an, f, tk); ok {
				fix(fmt.Sprintf("Trim white space in the queue name: %q", name), renameEdit(an.text, tk, name))
			}
		default:
			for _, name := range suggestions(f.Message) {
				fix(fmt.Sprintf("Replace with %q", name), renameEdit(an.text, tk, name))
			}
		}
	}
	return out, nil
}

// trimmedQueue is the queue name a redirect-queue-whitespace finding is
// about without its leading and trailing white space, and runs of white
// space inside it made one space; ok is false when the name is written
// over more than one line (the token is not all of it).
func trimmedQueue(an *analysis, f flow.Finding, tk token) (string, bool) {
	for _, fl := range an.project.Flows {
		for _, b := range fl.Blocks {
			if b.Type != flow.TypeRedirect || b.Queue == nil || b.QueuePos != (flow.Pos{Line: f.Line, Col: f.Column}) {
				continue
			}
			src := b.Queue.Source
			closed := tk.quote != 0 && tk.to < len(an.text.s) && an.text.s[tk.to] == tk.quote
			if !closed && (tk.quote != 0 || tk.value(an.text) != src) {
				return "", false
			}
			name := strings.Join(strings.Fields(src), " ")
			return name, name != "" && name != src
		}
	}
	return "", false
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
