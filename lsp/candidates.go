package lsp

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/words"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// The names completion offers, from the flow model and the org's facts.

func keys(names ...string) []candidate {
	out := make([]candidate, len(names))
	for i, n := range names {
		out[i] = candidate{label: n, kind: protocol.CompletionItemKindProperty, insert: n + ": "}
	}
	return out
}

func enum(detail string, values ...string) []candidate {
	out := make([]candidate, len(values))
	for i, v := range values {
		out[i] = candidate{label: v, kind: protocol.CompletionItemKindEnumMember, detail: detail}
	}
	return out
}

func blockIDs(p *flow.Project, flowName string) []candidate {
	f := p.Flow(flowName)
	if f == nil {
		return nil
	}
	var out []candidate
	seen := map[string]bool{}
	for _, b := range f.Blocks {
		if b.ID == "" || seen[b.ID] {
			continue
		}
		seen[b.ID] = true
		out = append(out, candidate{label: b.ID, kind: protocol.CompletionItemKindReference, detail: blockSummary(b)})
	}
	return out
}

func blockSummary(b *flow.Block) string {
	if b.Type == "" {
		return "block"
	}
	return string(b.Type) + " block"
}

func flowNames(p *flow.Project) []candidate {
	var out []candidate
	for _, f := range p.Flows {
		out = append(out, candidate{label: f.Name, kind: protocol.CompletionItemKindModule, detail: "flow, " + words.Plural(len(f.Blocks), "block")})
	}
	return out
}

func intents(p *flow.Project) []candidate {
	if p == nil {
		return nil
	}
	var out []candidate
	for _, in := range p.Intents {
		out = append(out, candidate{label: in.Name, kind: protocol.CompletionItemKindEnumMember, detail: "intent"})
	}
	return out
}

// memoryKeys are the keys the project's ask, set and transfer blocks
// assign or carry, in file order.
func memoryKeys(p *flow.Project) []candidate {
	if p == nil {
		return nil
	}
	var out []candidate
	seen := map[string]bool{}
	add := func(k, how string) {
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, candidate{label: k, kind: protocol.CompletionItemKindVariable, detail: how})
		}
	}
	for _, f := range p.Flows {
		for _, b := range f.Blocks {
			add(b.Variable, "set by ask "+b.ID)
			for _, a := range b.Set {
				add(a.Key, "set by "+b.ID)
			}
			for _, k := range b.Carry {
				add(k, "carried by "+b.ID)
			}
		}
	}
	return out
}

// queues are the org's queues, exact names, with their division and
// whether the OAuth client may use them.
func queues(an *analysis, c cursor) []candidate {
	if an.st == nil || an.st.queues == nil || an.st.queues.facts == nil {
		return nil
	}
	f := an.st.queues.facts
	var out []candidate
	for _, q := range f.Visible {
		out = append(out, candidate{label: q.Name, kind: protocol.CompletionItemKindValue, detail: "division " + q.Division.Name, insert: yamlValue(q.Name, c)})
	}
	for _, q := range f.Others {
		out = append(out, candidate{label: q.Name, kind: protocol.CompletionItemKindValue,
			detail: fmt.Sprintf("division %s: OAuth client %q may not use it", q.Division.Name, f.Client.Name), insert: yamlValue(q.Name, c)})
	}
	return out
}

// yamlValue is name as a scalar written after the cursor: as it is inside
// quotes the user opened, quoted when YAML would read it otherwise.
func yamlValue(name string, c cursor) string {
	trimmed := strings.TrimRight(c.before, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-")
	if strings.HasSuffix(trimmed, `"`) || strings.HasSuffix(trimmed, "'") {
		return name
	}
	if needsQuotes(name) {
		return strconv.Quote(name)
	}
	return name
}

// needsQuotes reports whether a plain scalar would not read back as s (or
// would end a flow collection).
func needsQuotes(s string) bool {
	switch s {
	case "", "true", "false", "null", "~", "yes", "no", "on", "off":
		return true
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return true
	}
	return strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`") || strings.TrimSpace(s) != s || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "?")
}
