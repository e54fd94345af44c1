package flow

import "fmt"

var ruleAskNoVariable = &Rule{
	ID: RuleAskNoVariable, Severity: SeverityWarning,
	Summary: "an ask without variable whose answer nothing reads (input, nlu) before the bot waits again: the answer is thrown away",
	check: func(ps *pass) {
		var reads map[*Block]bool
		ps.blocks(func(b *Block) {
			if b.Type != TypeAsk || b.VariablePos.Line != 0 || b.mistyped("variable") {
				return
			}
			if reads == nil {
				reads = readsAnswer(ps.p)
			}
			if answerRead(b, reads) {
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
		var silent map[*Block]string
		ps.blocks(func(b *Block) {
			if b.Type != TypeAsk || b.TextPos.Line != 0 || b.mistyped("text") {
				return
			}
			if what, rejects := entityWords[b.Entity]; rejects && b.Retry == nil && !b.mistyped("retry") {
				ps.report(b.TypeAt(), "ask %s has no text and no retry: a reply that is not %s gets no answer and the bot waits in silence; add text (the question, repeated after a bad reply) or retry", b.label(), what)
				return
			}
			if silent == nil {
				silent = silentlyReached(ps.p)
			}
			if why := silent[b]; why != "" {
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
// before the bot waits for the next message: the ask's outputs, or a block
// it goes on to (see readsAnswer).
func answerRead(ask *Block, reads map[*Block]bool) bool {
	for _, o := range ask.Outputs {
		if o.When != nil && o.When.readsAny("input", "nlu") {
			return true
		}
	}
	for _, e := range ask.Edges() {
		if e.To != nil && reads[e.To] {
			return true
		}
	}
	return false
}

// readsAnswer returns the blocks that, entered after a user message, read
// it (input or nlu) before the bot waits for the next one: the block
// itself (a waiting block only in what it sends before it waits), or a
// block it goes on to without waiting. One pass over the project, so every
// ask is decided in linear time.
func readsAnswer(p *Project) map[*Block]bool {
	reads := map[*Block]bool{}
	var work []*Block
	for _, f := range p.Flows {
		for _, b := range f.Blocks {
			for _, e := range blockExprs(b, !b.WaitsForInput()) {
				if e.readsAny("input", "nlu") {
					reads[b] = true
					work = append(work, b)
					break
				}
			}
		}
	}
	preds := predecessors(p)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, e := range preds[b] {
			if from := e.From; !from.WaitsForInput() && !reads[from] {
				reads[from] = true
				work = append(work, from)
			}
		}
	}
	return reads
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

// silentlyReached returns the blocks a session can enter with nothing
// said since the user last wrote, each with how ("at the start of the
// session", "after the user answers block "x","): the entry block, the
// blocks after one that waits or after an agent closes, and on from them
// through blocks that say and show nothing. One pass over the project.
func silentlyReached(p *Project) map[*Block]string {
	why := map[*Block]string{}
	var work []*Block
	mark := func(b *Block, reason string) {
		if b != nil && why[b] == "" {
			why[b] = reason
			work = append(work, b)
		}
	}
	if f := p.EntryFlow(); f != nil {
		mark(f.Block(f.Start), "at the start of the session")
	}
	for _, f := range p.Flows {
		for _, b := range f.Blocks {
			for _, e := range b.Edges() {
				switch {
				case e.Kind == EdgeResume:
					mark(e.To, fmt.Sprintf("when the agent closes the chat of redirect %s,", b.label()))
				case b.WaitsForInput():
					mark(e.To, fmt.Sprintf("after the user answers block %s,", b.label()))
				}
			}
		}
	}
	for len(work) > 0 {
		b := work[0]
		work = work[1:]
		if b.WaitsForInput() || len(b.Text) > 0 || len(b.Commands) > 0 {
			continue // it waits, or says (or shows) something
		}
		for _, e := range b.Edges() {
			if e.Kind != EdgeResume {
				mark(e.To, why[b])
			}
		}
	}
	return why
}
