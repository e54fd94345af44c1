package flow

import (
	"fmt"
	"maps"
	"slices"

	textsuggest "github.com/flowctl/flowctl/internal/suggest"
)

var ruleUnknownNext = &Rule{
	ID: RuleUnknownNext, Severity: SeverityError,
	Summary: "next, outputs[].next, onError, start or transfer.flow names nothing",
	check: func(ps *pass) {
		p := ps.p
		switch {
		case p.startSet && p.Start == "":
			ps.report(p.StartPos, "start is empty: name the flow a session starts in")
		case p.Start != "" && p.Flow(p.Start) == nil:
			ps.report(p.StartPos, "start names flow %q, which does not exist%s", p.Start, ps.suggest(p.Start, flowNames(p)))
		}
		for _, f := range p.Flows {
			var ids []string // the flow's block ids, once one is needed
			blocks := func() []string {
				if ids == nil {
					ids = blockIDs(f)
				}
				return ids
			}
			switch {
			case f.startSet && f.Start == "":
				ps.report(f.StartPos, "flow %q has an empty start: name its first block", f.Name)
			case f.Start != "" && f.Block(f.Start) == nil:
				ps.report(f.StartPos, "flow %q starts at block %q, which does not exist%s", f.Name, f.Start, ps.suggest(f.Start, blocks()))
			}
			for _, b := range f.Blocks {
				if b.Type == TypeTransfer && !b.flowSet && !b.mistyped("flow") {
					ps.report(b.TypeAt(), "transfer %s names no flow: add flow: NAME, the flow to continue in", b.label())
				}
				for _, e := range b.Edges() {
					if e.To != nil {
						continue
					}
					switch {
					case e.Kind == EdgeTransfer && e.Target == "":
						ps.report(e.Pos, "transfer %s has an empty flow: name the flow to continue in", b.label())
					case e.Kind == EdgeTransfer:
						if tf := p.Flow(e.Target); tf == nil {
							ps.report(e.Pos, "transfer names flow %q, which does not exist%s", e.Target, ps.suggest(e.Target, flowNames(p)))
						} // else the target flow's own start is checked above
					case e.Kind == EdgeOutput && !b.Outputs[e.Index].nextSet:
						// a missing next in an output: the schema reports it
					case e.Target == "":
						ps.report(e.Pos, "%s is empty: name a block of flow %q", edgeField(e), f.Name)
					default:
						ps.report(e.Pos, "%s names block %q, which does not exist in flow %q%s", edgeField(e), e.Target, f.Name, ps.suggest(e.Target, blocks()))
					}
				}
			}
		}
	},
}

func edgeField(e Edge) string {
	switch e.Kind {
	case EdgeOutput:
		return fmt.Sprintf("outputs[%d].next", e.Index)
	case EdgeOnError:
		return "onError"
	}
	return "next"
}

func flowNames(p *Project) []string {
	out := make([]string, len(p.Flows))
	for i, f := range p.Flows {
		out[i] = f.Name
	}
	return out
}

func blockIDs(f *Flow) []string {
	out := make([]string, len(f.Blocks))
	for i, b := range f.Blocks {
		out[i] = b.ID
	}
	return out
}

// maxSuggestWork bounds the names one rule compares for its "did you
// mean" suggestions in one file: a file of 60,000 blocks whose next all
// name nothing would otherwise compare every name with every id.
const maxSuggestWork = 200_000

// suggest returns `; did you mean "x"?` for the candidate the user most
// probably meant (within a sensible distance, see suggest.Closest), or ""
// (also once the rule has compared maxSuggestWork names in this file).
func (ps *pass) suggest(name string, candidates []string) string {
	if ps.suggestWork += len(candidates); ps.suggestWork > maxSuggestWork {
		return ""
	}
	return suggest(name, candidates)
}

// suggest returns `; did you mean "x"?` for the candidate the user most
// probably meant (within a sensible distance, see suggest.Closest), or "".
func suggest(name string, candidates []string) string {
	if best := textsuggest.Closest(name, candidates); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// EditDistance is the Levenshtein distance between a and b, in runes, or
// limit+1 as soon as it is known to exceed limit (suggest.Distance).
func EditDistance(a, b string, limit int) int { return textsuggest.Distance(a, b, limit) }

// sortedKeys returns a map's keys sorted.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
