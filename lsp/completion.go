package lsp

import (
	"fmt"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/lazyre"
	"github.com/flowctl/flowctl/schemas"
	"github.com/flowctl/flowctl/simulate"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// closureReasons are the values of a test's closed step (spec §5.7).
var closureReasons = []string{"end-of-flow", "inactivity", "agent", "genesys-timeout", "handover-failed"}

var (
	intentLiteralRe = lazyre.New(`nlu\.intent\s*(?:==|!=|(?:not\s+)?in\s*\[[^\]]*?)\s*["']([^"']*)$`)
	memoryRe        = lazyre.New(`memory\.([A-Za-z0-9_]*)$`)
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
	from, cands := complete(an, t, c, off)
	cands, incomplete := limit(cands, t.s[from:off])
	items := make([]protocol.CompletionItem, 0, len(cands))
	// A value is replaced whole, also what follows the cursor.
	end := off
	if !c.inKey {
		end = max(off, valueEnd(t, from))
	}
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

// complete returns the candidates at byte offset off and where the text
// they replace starts.
func complete(an *analysis, t *text, c cursor, off int) (int, []candidate) {
	if c.scalar {
		return off, nil
	}
	if an.kind == kindFlow || an.kind == kindTest {
		if m := intentLiteralRe.FindStringSubmatch(c.before); m != nil && an.kind == kindFlow {
			return off - len(m[1]), intents(an.project)
		}
		if m := memoryRe.FindStringSubmatch(c.before); m != nil && an.kind == kindFlow {
			return off - len(m[1]), memoryKeys(an.project)
		}
	}
	switch an.kind {
	case kindFlow:
		return c.from, flowCandidates(an, t, c)
	case kindTest:
		return c.from, testCandidates(an, c)
	case kindConfig:
		return c.from, configCandidates(c)
	}
	return off, nil
}

func flowCandidates(an *analysis, t *text, c cursor) []candidate {
	p := an.project
	flowName, inBlock := c.inBlock()
	if c.inKey {
		switch {
		case len(c.path) == 0:
			return keys("version", "name", "start", "session", "intents", "flows")
		case len(c.path) == 2 && c.path[0] == "flows":
			return keys("start", "blocks")
		case len(c.path) == 1 && c.path[0] == "session":
			return keys("maxInactivity")
		case inBlock && len(c.path) == 4:
			present, typ := itemKeys(t, c.itemAt, t.lineOf(c.from))
			var out []candidate
			fields := schemas.FlowBlockFields()[typ]
			if fields == nil {
				fields = []string{"id", "type"}
			}
			for _, f := range fields {
				if !present[f] {
					out = append(out, candidate{label: f, kind: protocol.CompletionItemKindField, detail: fieldDetail(typ)})
				}
			}
			return out
		case inBlock && c.under("commands"):
			var out []candidate
			for _, name := range flow.KnownCommands() {
				out = append(out, candidate{label: name, kind: protocol.CompletionItemKindFunction, detail: "command"})
			}
			return out
		case inBlock && c.under("outputs", "-"):
			return keys("when", "next")
		}
		return nil
	}
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

func testCandidates(an *analysis, c cursor) []candidate {
	if c.inKey {
		switch {
		case len(c.path) == 0:
			return keys("name", "flow", "org", "client", "steps")
		case len(c.path) == 2 && c.path[0] == "steps":
			return keys(string(simulate.StepBot), string(simulate.StepUser), string(simulate.StepHandover), string(simulate.StepAgent), string(simulate.StepWait), string(simulate.StepClosed))
		case c.under("handover"):
			return keys("queue", "attributes")
		case c.under("bot"):
			return keys("contains", "matches")
		case c.under("agent"):
			return keys(string(simulate.AgentSay), string(simulate.AgentTransfer))
		}
		return nil
	}
	switch {
	case c.key == "closed":
		return enum("closure reason", closureReasons...)
	case c.key == "agent":
		return enum("agent event", string(simulate.AgentJoin), string(simulate.AgentClose), string(simulate.AgentTimeout))
	case c.key == "handover", c.key == "queue" && c.under("handover"), c.key == "transfer" && c.under("agent"):
		return queues(an, c)
	}
	return nil
}

func configCandidates(c cursor) []candidate {
	if c.inKey && len(c.path) == 0 {
		return keys("version", "org", "client", "enable", "strict", "tests", "online")
	}
	if c.key == "enable" || c.under("enable", "-") {
		var out []candidate
		for _, r := range flow.Rules {
			if r.Optional {
				out = append(out, candidate{label: r.ID, kind: protocol.CompletionItemKindEnumMember, detail: r.Summary})
			}
		}
		return out
	}
	if c.key == "strict" || c.key == "online" {
		return enum("", "true", "false")
	}
	return nil
}
