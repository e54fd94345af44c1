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

// symbolKind is what a name in a flow file names.
type symbolKind int

const (
	symBlock symbolKind = iota + 1
	symFlow
	symQueue // a redirect's static queue name; test files name it too
)

// occurrence is a block id or flow name written in a flow file: where it
// is defined, or a next, onError, start or transfer.flow naming it.
type occurrence struct {
	kind symbolKind
	flow string // the flow a block belongs to
	name string
	def  bool
	tok  token
}

// occurrences lists every block id and flow name of an analysis whose
// text at its position is the name (a name written with escapes or over
// several lines is left out: it cannot be edited in place).
func (an *analysis) occurrences() []occurrence {
	p := an.project
	if p == nil || an.kind != kindFlow {
		return nil
	}
	var out []occurrence
	add := func(kind symbolKind, fl, name string, def bool, pos flow.Pos) {
		if name == "" || pos.Line == 0 {
			return
		}
		tk := tokenAt(an.text, an.text.offsetOf(pos))
		if tk.value(an.text) != name {
			return
		}
		out = append(out, occurrence{kind: kind, flow: fl, name: name, def: def, tok: tk})
	}
	add(symFlow, "", p.Start, false, p.StartPos)
	for _, f := range p.Flows {
		add(symFlow, "", f.Name, true, f.Pos)
		add(symBlock, f.Name, f.Start, false, f.StartPos)
		for _, b := range f.Blocks {
			add(symBlock, f.Name, b.ID, true, b.IDPos)
			if b.Next != nil {
				add(symBlock, f.Name, b.Next.Name, false, b.Next.Pos)
			}
			for _, o := range b.Outputs {
				add(symBlock, f.Name, o.Next.Name, false, o.Next.Pos)
			}
			if b.OnError != nil {
				add(symBlock, f.Name, b.OnError.Name, false, b.OnError.Pos)
			}
			if b.TargetFlow != nil {
				add(symFlow, "", b.TargetFlow.Name, false, b.TargetFlow.Pos)
			}
			if b.Type == flow.TypeRedirect && b.Queue != nil {
				if name, ok := b.Queue.StaticText(); ok {
					add(symQueue, "", name, false, b.QueuePos)
				}
			}
		}
	}
	return out
}

// at returns the occurrence under byte offset off.
func at(occ []occurrence, off int) (occurrence, bool) {
	for _, o := range occ {
		if off >= o.tok.start && off <= o.tok.end {
			return o, true
		}
	}
	return occurrence{}, false
}

// same returns the occurrences naming what o names, in file order.
func same(occ []occurrence, o occurrence) []occurrence {
	var out []occurrence
	for _, x := range occ {
		if x.kind == o.kind && x.flow == o.flow && x.name == o.name {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, func(a, b occurrence) int { return a.tok.start - b.tok.start })
	return out
}

func (s *Server) definition(_ *glsp.Context, p *protocol.DefinitionParams) (any, error) {
	d, an := s.doc(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	off := an.text.offset(p.Position)
	if an.kind == kindTest && an.test != nil && an.test.Flow != "" {
		tk := tokenAt(an.text, an.text.offsetOf(an.test.FlowPos))
		if off >= tk.start && off <= tk.end {
			return []protocol.Location{{URI: pathURI(absPath(flowPathOf(an))), Range: protocol.Range{}}}, nil
		}
		return nil, nil
	}
	occ := an.occurrences()
	o, ok := at(occ, off)
	if !ok {
		return nil, nil
	}
	for _, x := range same(occ, o) {
		if x.def {
			return []protocol.Location{{URI: d.uri, Range: an.text.span(x.tok.from, x.tok.to)}}, nil
		}
	}
	return nil, nil
}

// symbolAt returns the open document at uri with its analysis, its
// occurrences and the one at pos (ok false when there is none, or no such
// document).
func (s *Server) symbolAt(uri protocol.DocumentUri, pos protocol.Position) (d *document, an *analysis, occ []occurrence, o occurrence, ok bool) {
	if d, an = s.doc(uri); d == nil {
		return nil, nil, nil, o, false
	}
	occ = an.occurrences()
	o, ok = at(occ, an.text.offset(pos))
	return d, an, occ, o, ok
}

func (s *Server) references(_ *glsp.Context, p *protocol.ReferenceParams) ([]protocol.Location, error) {
	d, an, occ, o, ok := s.symbolAt(p.TextDocument.URI, p.Position)
	if !ok {
		return nil, nil
	}
	out := []protocol.Location{}
	for _, x := range same(occ, o) {
		if x.def && !p.Context.IncludeDeclaration {
			continue
		}
		out = append(out, protocol.Location{URI: d.uri, Range: an.text.span(x.tok.from, x.tok.to)})
	}
	if o.kind == symQueue {
		for _, tf := range s.testsOf(an.path) {
			for _, tk := range tf.queues[o.name] {
				out = append(out, protocol.Location{URI: pathURI(tf.path), Range: tf.text.span(tk.from, tk.to)})
			}
		}
	}
	return out, nil
}

// idRe is the pattern of block ids and flow names the server renames to.
var idRe = lazyre.New(`^[A-Za-z][A-Za-z0-9_-]*$`)

func (s *Server) prepareRename(_ *glsp.Context, p *protocol.PrepareRenameParams) (any, error) {
	_, an, _, o, ok := s.symbolAt(p.TextDocument.URI, p.Position)
	if !ok {
		return nil, nil
	}
	r := an.text.span(o.tok.from, o.tok.to)
	return &r, nil
}

func (s *Server) rename(_ *glsp.Context, p *protocol.RenameParams) (*protocol.WorkspaceEdit, error) {
	d, an, occ, o, ok := s.symbolAt(p.TextDocument.URI, p.Position)
	if d == nil {
		return nil, nil
	}
	if !ok {
		return nil, fmt.Errorf("nothing to rename here: put the cursor on a block id or a flow name")
	}
	if err := checkNewName(occ, o, p.NewName); err != nil {
		return nil, err
	}
	edits := []protocol.TextEdit{}
	for _, x := range same(occ, o) {
		edits = append(edits, renameEdit(an.text, x.tok, p.NewName))
	}
	changes := map[protocol.DocumentUri][]protocol.TextEdit{d.uri: edits}
	if o.kind == symQueue {
		// Test files name no block id or flow name (spec §6), but their
		// handover and agent transfer steps name queues.
		for _, tf := range s.testsOf(an.path) {
			for _, tk := range tf.queues[o.name] {
				uri := pathURI(tf.path)
				changes[uri] = append(changes[uri], renameEdit(tf.text, tk, p.NewName))
			}
		}
	}
	return &protocol.WorkspaceEdit{Changes: changes}, nil
}

// checkNewName refuses a name the renamed thing cannot have.
func checkNewName(occ []occurrence, o occurrence, name string) error {
	if o.kind == symQueue {
		if strings.TrimSpace(name) == "" || strings.Join(strings.Fields(name), " ") != name {
			return fmt.Errorf("%q is no queue name flowctl can check: no leading, trailing or double white space", name)
		}
		return nil
	}
	what := "block id"
	if o.kind == symFlow {
		what = "flow name"
	}
	if !idRe.MatchString(name) {
		return fmt.Errorf("%q is no valid %s: start with a letter, then letters, digits, _ and -", name, what)
	}
	for _, x := range occ {
		if x.def && x.kind == o.kind && x.flow == o.flow && x.name == name {
			return fmt.Errorf("%s %q exists already", what, name)
		}
	}
	return nil
}

// renameEdit replaces a token's value; a plain scalar that would not read
// back as the new name is quoted.
func renameEdit(t *text, tk token, name string) protocol.TextEdit {
	if tk.quote == 0 && needsQuotes(name) {
		return protocol.TextEdit{Range: t.span(tk.start, tk.end), NewText: strconv.Quote(name)}
	}
	if tk.quote != 0 && strings.ContainsRune(name, rune(tk.quote)) || tk.quote == '"' && strings.Contains(name, `\`) {
		return protocol.TextEdit{Range: t.span(tk.start, tk.end), NewText: strconv.Quote(name)}
	}
	return protocol.TextEdit{Range: t.span(tk.from, tk.to), NewText: name}
}
