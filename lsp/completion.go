package lsp

import (
	"fmt"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/simulate"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// candidate is one completion before it becomes a protocol item.
type candidate struct {
	label  string
	detail string
	kind   protocol.CompletionItemKind
	insert string // "" means label
}

func (s *Server) completion(_ *glsp.Context, p *protocol.CompletionParams) (any, error) {
	d, an, t := s.latest(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	off := t.offset(p.Position)
	c := cursorAt(t, off)
	from, end, cands := complete(an, t, c, off)
	cands, incomplete := limit(cands, t.s[from:off])
	items := make([]protocol.CompletionItem, 0, len(cands))
	rng := t.span(from, end)
	// A plain word before the cursor is what clients replace anyway: the
	// items then carry no edit (1,000 block ids stay a small reply).
	plain := isWord(t.s[from:off]) && end == off
	for i, cd := range cands {
		kind, insert := cd.kind, cd.label
		if cd.insert != "" {
			insert = cd.insert
		}
		item := protocol.CompletionItem{
			Label:    cd.label,
			Kind:     &kind,
			SortText: ptr(fmt.Sprintf("%04d", i)),
		}
		if !plain || insert != cd.label || !isWord(insert) {
			item.TextEdit = protocol.TextEdit{Range: rng, NewText: insert}
		}
		if cd.detail != "" {
			item.Detail = ptr(cd.detail)
		}
		if insert != cd.label {
			item.FilterText = ptr(insert)
		}
		items = append(items, item)
	}
	return protocol.CompletionList{IsIncomplete: incomplete, Items: items}, nil
}

// maxItems bounds a completion reply: past it, the candidates holding
// what was typed are sent, the first maxItems of them, and the list is
// marked incomplete so that the client asks again as the user types.
const maxItems = 200

func limit(cands []candidate, typed string) ([]candidate, bool) {
	if len(cands) <= maxItems {
		return cands, false
	}
	typed = strings.ToLower(typed)
	var out []candidate
	for _, cd := range cands {
		if strings.Contains(strings.ToLower(cd.label), typed) {
			if len(out) == maxItems {
				return out, true
			}
			out = append(out, cd)
		}
	}
	return out, false
}

// valueEnd returns where the scalar value starting at byte from ends: at
// the closing quote when a quote opens it, else at the end of the plain
// scalar.
func valueEnd(t *text, from int) int {
	if from > 0 && (t.s[from-1] == '"' || t.s[from-1] == '\'') {
		tk := tokenAt(t, from-1)
		return tk.to
	}
	if from < len(t.s) && t.s[from] != '\n' && t.s[from] != '\r' {
		return tokenAt(t, from).to
	}
	return from
}

// isWord reports whether s is letters, digits, _ and - only (what editors
// take as the word before the cursor).
func isWord(s string) bool {
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// complete returns the candidates at byte offset off and the bytes
// [from, end) they replace: a name in an expression; else a value whole,
// also what follows the cursor; a key up to the cursor.
func complete(an *analysis, t *text, c cursor, off int) (from, end int, cands []candidate) {
	if c.scalar {
		return off, off, nil
	}
	if an.kind == kindFlow {
		if from, end, cands, ok := exprCompletion(an, t, c, off); ok {
			return from, end, cands
		}
	}
	if c.inKey {
		present := presentKeys(t, c, off)
		switch an.kind {
		case kindFlow:
			cands = flowKeys(c, present)
		case kindTest:
			cands = schemaKeys(kindTest, c.path)
		case kindConfig:
			cands = configKeys(c)
		}
		return c.from, off, absent(cands, present)
	}
	end = max(off, valueEnd(t, c.from))
	if isBoolean(an.kind, c.path, c.key) {
		return c.from, end, enum("boolean", "true", "false")
	}
	switch an.kind {
	case kindFlow:
		cands = flowValues(an, c)
	case kindTest:
		cands = testValues(an, c)
	case kindConfig:
		cands = configValues(c)
	}
	return c.from, end, cands
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// absent drops the keys the mapping has already.
func absent(cands []candidate, present map[string]string) []candidate {
	out := cands[:0:0]
	for _, cd := range cands {
		if _, has := present[cd.label]; !has {
			out = append(out, cd)
		}
	}
	return out
}

// flowKeys are the keys a flow file may have where the cursor writes one:
// a block's are those of its type, a commands mapping's the commands
// flowctl knows, elsewhere the flow schema's.
func flowKeys(c cursor, present map[string]string) []candidate {
	_, inBlock := c.inBlock()
	switch {
	case inBlock && len(c.path) == 4:
		typ := present["type"]
		var out []candidate
		for _, f := range blockFields(flow.BlockType(typ)) {
			if f == "next" && hasKey(present, "outputs") || f == "outputs" && hasKey(present, "next") {
				continue // flowctl refuses a block with both
			}
			out = append(out, candidate{label: f, kind: protocol.CompletionItemKindField, detail: fieldDetail(typ)})
		}
		return out
	case inBlock && c.under("commands"):
		var out []candidate
		for _, name := range flow.KnownCommands() {
			out = append(out, candidate{label: name, kind: protocol.CompletionItemKindFunction, detail: "command"})
		}
		return out
	}
	return schemaKeys(kindFlow, c.path)
}

// flowValues are the values a flow file may have where the cursor writes
// one.
func flowValues(an *analysis, c cursor) []candidate {
	p := an.project
	flowName, inBlock := c.inBlock()
	switch c.key {
	case "next", "onError":
		if inBlock {
			return blockIDs(p, flowName)
		}
	case "start":
		if len(c.path) == 0 {
			return flowNames(p)
		}
		if len(c.path) == 2 && c.path[0] == "flows" {
			return blockIDs(p, c.path[1])
		}
	case "flow":
		if inBlock {
			return flowNames(p)
		}
	case "type":
		if inBlock {
			var out []candidate
			for _, bt := range flow.BlockTypes {
				out = append(out, candidate{label: string(bt), kind: protocol.CompletionItemKindEnumMember, detail: "block type"})
			}
			return out
		}
	case "entity":
		return enum("entity", flow.EntityAny, flow.EntityNumber, flow.EntityEmail, flow.EntityPhone, flow.EntityYesNo, flow.EntityPattern)
	case "queue":
		if inBlock {
			return queues(an, c)
		}
	}
	return nil
}

func fieldDetail(typ string) string {
	if typ == "" {
		return "block field"
	}
	return typ + " field"
}

func testValues(an *analysis, c cursor) []candidate {
	switch {
	case c.key == "closed":
		return enum("closure reason", schemaEnum(kindTest, append(slices.Clip(c.path), c.key))...)
	case c.key == "agent":
		return enum("agent event", string(simulate.AgentJoin), string(simulate.AgentClose), string(simulate.AgentTimeout))
	case c.key == "handover", c.key == "queue" && c.under("handover"), c.key == "transfer" && c.under("agent"):
		return queues(an, c)
	}
	return nil
}

func configKeys(c cursor) []candidate {
	if c.under("enable", "-") { // an item of a block sequence
		return optionalRules()
	}
	return schemaKeys(kindConfig, c.path)
}

func configValues(c cursor) []candidate {
	if c.key == "enable" || c.under("enable", "-") {
		return optionalRules()
	}
	return nil
}

// optionalRules are the rule ids enable takes.
func optionalRules() []candidate {
	var out []candidate
	for _, r := range flow.Rules {
		if r.Optional {
			out = append(out, candidate{label: r.ID, kind: protocol.CompletionItemKindEnumMember, detail: r.Summary})
		}
	}
	return out
}
