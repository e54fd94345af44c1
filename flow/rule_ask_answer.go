package flow

import "fmt"

var ruleAskNoVariable = &Rule{
	ID: RuleAskNoVariable, Severity: SeverityWarning,
	Summary: "an ask without variable whose answer nothing reads (input, nlu) before the bot waits again: the answer is thrown away",
	check: func(ps *pass) {
		ps.blocks(func(b *Block) {
			if b.Type != TypeAsk || b.VariablePos.Line != 0 || b.mistyped("variable") || answerRead(b) {
				return
			}
			ps.report(b.TypeAt(), "ask %s has no variable and nothing reads its answer (input or nlu) before the bot waits again: the answer is thrown away; add variable: NAME to keep it as memory.NAME", b.label())
		})
	},
}

var ruleAskNoText = &Rule{
	ID: RuleAskNoText, Severity: SeverityWarning,
	Summary: "an ask without text that the user reaches without a question, or whose rejected replies get no answer (no retry)",
	check: func(ps *pass) {
		var preds map[*Block][]Edge
		ps.blocks(func(b *Block) {
			if b.Type != TypeAsk || b.TextPos.Line != 0 || b.mistyped("text") {
				return
			}
			if what, rejects := entityWords[b.Entity]; rejects && b.Retry == nil && !b.mistyped("retry") {
				ps.report(b.TypeAt(), "ask %s has no text and no retry: a reply that is not %s gets no answer and the bot waits in silence; add text (the question, repeated after a bad reply) or retry", b.label(), what)
				return
			}
			if preds == nil {
				preds = predecessors(ps.p)
			}
			if why := silentBefore(b, preds, ps.p); why != "" {
				ps.report(b.TypeAt(), "ask %s has no text, and %s the bot says nothing before it waits: the user gets no question; add text", b.label(), why)
			}
		})
	},
}

// entityWords name what an ask's entity accepts, for the entities that
// reject some replies.
var entityWords = map[string]string{
	EntityNumber:  "a number",
	EntityEmail:   "an e-mail address",
	EntityPhone:   "a phone number",
	EntityYesNo:   "a yes or a no",
	EntityPattern: "a match of its pattern",
}

// answerRead reports whether anything reads an ask's answer (input or nlu)
// before the bot waits for the next message: the ask's outputs, then every
// block the session can run on the way, and what the next waiting block
// sends before it waits.
func answerRead(ask *Block) bool {
	for _, o := range ask.Outputs {
		if o.When != nil && o.When.readsAny("input", "nlu") {
			return true
		}
	}
	seen := map[*Block]bool{ask: true}
	var stack []*Block
	push := func(b *Block) {
		for _, e := range b.Edges() {
			if e.To != nil && !seen[e.To] {
				seen[e.To] = true
				stack = append(stack, e.To)
			}
		}
	}
	push(ask)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		waits := b.WaitsForInput()
		for _, e := range blockExprs(b, !waits) {
			if e.readsAny("input", "nlu") {
				return true
			}
		}
		if !waits {
			push(b)
		}
	}
	return false
}

// blockExprs returns the expressions a block evaluates: with after, those
// it evaluates after a user message too (outputs, reprompt, retry); else
// only what it runs and sends before it waits.
func blockExprs(b *Block, after bool) []*Expr {
	var out []*Expr
	for _, a := range b.Set {
		if a.Value != nil {
			out = append(out, a.Value)
		}
	}
	ts := append(append([]*Template(nil), b.Text...), b.QuickReplies...)
	if b.Queue != nil {
		ts = append(ts, b.Queue)
	}
	for _, c := range b.Commands {
		ts = appendTemplates(ts, c.Value)
	}
	if after {
		out = b.exprs()
		ts = b.templates()
	}
	for _, t := range ts {
		out = append(out, t.Exprs()...)
	}
	return out
}

// predecessors returns each block's incoming edges.
func predecessors(p *Project) map[*Block][]Edge {
	out := map[*Block][]Edge{}
	for _, f := range p.Flows {
		for _, b := range f.Blocks {
			for _, e := range b.Edges() {
				if e.To != nil {
					out[e.To] = append(out[e.To], e)
				}
			}
		}
	}
	return out
}

// silentBefore says how a session can reach a block with nothing said
// since the user last wrote (at the start, after a waiting block, after
// an agent), or "" when something is always said on the way.
func silentBefore(b *Block, preds map[*Block][]Edge, p *Project) string {
	var entry *Block
	if f := p.EntryFlow(); f != nil {
		entry = f.Block(f.Start)
	}
	seen := map[*Block]bool{b: true}
	stack := []*Block{b}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == entry {
			return "at the start of the session"
		}
		for _, e := range preds[x] {
			from := e.From
			switch {
			case e.Kind == EdgeResume:
				return fmt.Sprintf("when the agent closes the chat of redirect %s,", from.label())
			case from.WaitsForInput():
				return fmt.Sprintf("after the user answers block %s,", from.label())
			case len(from.Text) > 0 || len(from.Commands) > 0:
				continue // something is said (or shown) on this way
			}
			if !seen[from] {
				seen[from] = true
				stack = append(stack, from)
			}
		}
	}
	return ""
}
