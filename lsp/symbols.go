package lsp

import (
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/words"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// documentSymbol is the outline of a flow file: its flows, each with its
// blocks (id, type), in file order; a test file's steps.
func (s *Server) documentSymbol(_ *glsp.Context, p *protocol.DocumentSymbolParams) (any, error) {
	d, an := s.doc(p.TextDocument.URI)
	if d == nil || an.project == nil || an.kind != kindFlow {
		return []protocol.DocumentSymbol{}, nil
	}
	t := an.text
	out := []protocol.DocumentSymbol{}
	for _, f := range an.project.Flows {
		if f.Pos.Line == 0 {
			continue
		}
		fs := protocol.DocumentSymbol{
			Name:   f.Name,
			Detail: ptr("flow, " + words.Plural(len(f.Blocks), "block")),
			Kind:   protocol.SymbolKindModule,
		}
		fs.Range, fs.SelectionRange = extent(t, f.Pos, f.Pos.Col-1, false), nameRange(t, f.Pos)
		for _, b := range f.Blocks {
			if b.ID == "" || b.Pos.Line == 0 {
				continue
			}
			typ := string(b.Type)
			if typ == "" {
				typ = "block"
			}
			bs := protocol.DocumentSymbol{
				Name:   b.ID,
				Detail: ptr(typ),
				Kind:   blockKind(b),
			}
			bs.Range, bs.SelectionRange = extent(t, b.Pos, b.Pos.Col-1, true), nameRange(t, b.IDPos)
			if !contains(bs.Range, bs.SelectionRange) {
				bs.Range = bs.SelectionRange
			}
			fs.Children = append(fs.Children, bs)
		}
		if !contains(fs.Range, fs.SelectionRange) {
			fs.Range = fs.SelectionRange
		}
		out = append(out, fs)
	}
	return out, nil
}

func blockKind(b *flow.Block) protocol.SymbolKind {
	switch b.Type {
	case flow.TypeRedirect, flow.TypeTransfer:
		return protocol.SymbolKindEvent
	case flow.TypeEnd:
		return protocol.SymbolKindNull
	case flow.TypeAsk, flow.TypeSet:
		return protocol.SymbolKindVariable
	}
	return protocol.SymbolKindFunction
}

// nameRange is the range of the scalar at pos, quotes left out.
func nameRange(t *text, pos flow.Pos) protocol.Range {
	tk := tokenAt(t, t.offsetOf(pos))
	return t.span(tk.from, tk.to)
}

// extent is the range of the node starting at pos: down to the last line
// that is more indented than col (a mapping key's children), or at least
// as indented (a sequence item's mapping: item set).
func extent(t *text, pos flow.Pos, col int, item bool) protocol.Range {
	start := t.offsetOf(pos)
	last := min(pos.Line-1, t.lines()-1)
	for i := pos.Line; i < t.lines(); i++ {
		ln := t.line(i)
		body := strings.TrimLeft(ln, " ")
		if body == "" || strings.HasPrefix(body, "#") {
			continue
		}
		ind := len(ln) - len(body)
		if ind < col || (!item && ind == col) || (item && ind == col && strings.HasPrefix(body, "- ")) {
			break
		}
		last = i
	}
	end := t.starts[last] + len(t.line(last))
	return t.span(start, end)
}

func contains(outer, inner protocol.Range) bool {
	before := func(a, b protocol.Position) bool {
		return a.Line < b.Line || (a.Line == b.Line && a.Character <= b.Character)
	}
	return before(outer.Start, inner.Start) && before(inner.End, outer.End)
}
