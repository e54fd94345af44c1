package graph

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/simulate"
)

// blockLabel is the block's id and type, what it does, and its first text.
func blockLabel(bl *flow.Block) []string {
	id := bl.ID
	if id == "" {
		id = "(no id)"
	}
	typ := string(bl.Type)
	if typ == "" {
		typ = "?"
	}
	lines := []string{id + " · " + typ}
	switch bl.Type {
	case flow.TypeSay:
		if bl.Input {
			lines = append(lines, "waits for input")
		}
	case flow.TypeAsk:
		entity := bl.Entity
		if entity == "" {
			entity = flow.EntityAny
		}
		v := bl.Variable
		if v == "" {
			v = "?"
		}
		lines = append(lines, "memory."+v+" ← "+entity)
	case flow.TypeSet:
		keys := make([]string, len(bl.Set))
		for i, a := range bl.Set {
			keys[i] = "memory." + a.Key
		}
		if len(keys) > 0 {
			lines = append(lines, shortText("sets "+strings.Join(keys, ", "), graphTextMax))
		}
	case flow.TypeRedirect:
		q := "(none)"
		if bl.Queue != nil {
			q = bl.Queue.Source
		}
		lines = append(lines, shortText("queue: "+q, graphTextMax))
		if bl.Resume {
			lines = append(lines, "resume: yes")
		} else {
			lines = append(lines, "resume: no")
		}
	case flow.TypeTransfer:
		if bl.TargetFlow != nil {
			lines = append(lines, shortText("to flow "+bl.TargetFlow.Name, graphTextMax))
		}
		if len(bl.Carry) > 0 {
			lines = append(lines, shortText("carry: "+strings.Join(bl.Carry, ", "), graphTextMax))
		}
	}
	if len(bl.Text) > 0 {
		lines = append(lines, `"`+shortText(bl.Text[0].Source, graphTextMax)+`"`)
	}
	return lines
}

// edgeLabel says when the session takes the edge.
func edgeLabel(bl *flow.Block, e flow.Edge) string {
	switch e.Kind {
	case flow.EdgeOutput:
		if e.Label == "" {
			return "otherwise"
		}
		return shortText(e.Label, graphCondMax)
	case flow.EdgeOnError:
		return "handover failed"
	case flow.EdgeResume:
		if bl.Resume {
			return "agent closed: resume"
		}
		return "never taken: resume is off"
	case flow.EdgeTransfer:
		return "transfer"
	}
	return ""
}

func edgeStyleOf(bl *flow.Block, e flow.Edge) EdgeStyle {
	switch e.Kind {
	case flow.EdgeOnError:
		return EdgeDotted
	case flow.EdgeResume:
		if bl.Resume {
			return EdgeThick
		}
		return EdgeDotted
	case flow.EdgeTransfer:
		return EdgeThick
	}
	return EdgeSolid
}

// exitLabel names a closure reason as the chat page shows it.
func exitLabel(reason string, p *flow.Project) string {
	if reason == flow.ReasonInactivity {
		return "closed: inactivity " + simulate.FormatDuration(p.MaxInactivity)
	}
	return "closed: " + reason
}

// shortText folds white space (newlines included) into single spaces, drops
// other control characters and invalid UTF-8, and cuts the text to max runes,
// ending it with "…" when cut.
func shortText(s string, max int) string {
	clean := strings.Map(func(r rune) rune {
		if r == utf8.RuneError || (unicode.IsControl(r) && !unicode.IsSpace(r)) {
			return -1
		}
		return r
	}, s)
	folded := strings.Join(strings.Fields(clean), " ")
	rs := []rune(folded)
	if len(rs) <= max {
		return folded
	}
	return strings.TrimRight(string(rs[:max-1]), " ") + "…"
}
