package flow

import "fmt"

var ruleDefaultNotLast = &Rule{
	ID: RuleDefaultNotLast, Severity: SeverityError,
	Summary: "an output without when is followed by more outputs",
	check: func(ps *pass) {
		ps.blocks(func(b *Block) {
			for i, o := range b.Outputs {
				if o.When == nil && i < len(b.Outputs)-1 {
					after := "the output after it is"
					if n := len(b.Outputs) - 1 - i; n > 1 {
						after = fmt.Sprintf("the %d outputs after it are", n)
					}
					ps.report(o.Pos, "outputs[%d] has no when, so it always matches and %s never tried: move it last", i, after)
					return
				}
			}
		})
	},
}

var ruleNoDefaultOutput = &Rule{
	ID: RuleNoDefaultOutput, Severity: SeverityWarning,
	Summary: "a block with input: true has outputs but no default: a message no condition matches re-prompts",
	check: func(ps *pass) {
		ps.blocks(func(b *Block) {
			if b.Type == TypeSay && b.Input && len(b.Outputs) > 0 && !hasDefault(b) {
				ps.report(b.OutputsPos, "block %s waits for input but has no default output: a message no condition matches re-prompts; add a last output without when", b.label())
			}
		})
	},
}

// ruleSilentEnd is a heuristic (the conditions may cover every case): an
// ask, a set or a say without input whose outputs all have a condition
// ends the chat without a word when none matches.
var ruleSilentEnd = &Rule{
	ID: RuleSilentEnd, Severity: SeverityWarning, Optional: true,
	Summary: "every output of an ask, a set or a say without input has a condition: when none matches, the chat ends without a word",
	check: func(ps *pass) {
		ps.blocks(func(b *Block) {
			switch {
			case len(b.Outputs) == 0 || hasDefault(b):
			case b.Type == TypeAsk || b.Type == TypeSet || (b.Type == TypeSay && !b.Input):
				ps.report(b.OutputsPos, "every output of block %s has a condition: when none matches, the chat ends (end-of-flow) without a word; add a last output without when", b.label())
			}
		})
	},
}

var ruleQuickRepliesNoInput = &Rule{
	ID: RuleQuickRepliesNoInput, Severity: SeverityWarning,
	Summary: "quickReplies on a say that does not wait for input (and is not followed by a block that does)",
	check: func(ps *pass) {
		ps.blocks(func(b *Block) {
			if b.Type != TypeSay || b.Input || b.QuickRepliesPos.Line == 0 || nextWaits(b) {
				return
			}
			ps.report(b.QuickRepliesPos, "block %s shows quickReplies but does not wait for input, so a click answers no question of it: set input: true, or move the quick replies to the block that waits", b.label())
		})
	},
}

// nextWaits reports whether every way on from b leads straight to a block
// that waits for input: quick replies shown by b then answer that block.
func nextWaits(b *Block) bool {
	edges := b.Edges()
	if len(edges) == 0 || !hasDefault(b) {
		return false
	}
	for _, e := range edges {
		if e.To == nil || !e.To.WaitsForInput() {
			return false
		}
	}
	return true
}

var ruleUnusedEdge = &Rule{
	ID: RuleUnusedEdge, Severity: SeverityWarning,
	Summary: "next or outputs on a block that never takes them (end, transfer; outputs on a redirect)",
	check: func(ps *pass) {
		ps.blocks(func(b *Block) {
			var why string
			switch b.Type {
			case TypeEnd:
				why = "an end block closes the session"
			case TypeTransfer:
				why = "a transfer continues at the start of its flow"
			case TypeRedirect:
				if len(b.Outputs) > 0 {
					ps.report(b.OutputsPos, "outputs on redirect %s are never taken: a redirect goes on by onError when the handover fails, or by next (with resume) after the agent", b.label())
				}
				return
			default:
				return
			}
			switch {
			case b.Next != nil:
				ps.report(b.Next.Pos, "next on block %s is never taken: %s", b.label(), why)
			case len(b.Outputs) > 0:
				ps.report(b.OutputsPos, "outputs on block %s are never taken: %s", b.label(), why)
			}
		})
	},
}
