package flow

import (
	"strings"
)

func redirects(ps *pass, fn func(*Block)) {
	ps.blocks(func(b *Block) {
		if b.Type == TypeRedirect {
			fn(b)
		}
	})
}

var ruleRedirectEmptyQueue = &Rule{
	ID: RuleRedirectEmptyQueue, Severity: SeverityError,
	Summary: "queue missing or blank",
	check: func(ps *pass) {
		redirects(ps, func(b *Block) {
			switch {
			case b.Queue != nil && strings.TrimSpace(b.Queue.Source) != "":
			case b.QueuePos == b.Pos: // no queue key
				if !b.mistyped("queue") {
					ps.report(b.TypeAt(), "redirect %s has no queue: set queue to the exact name of the Genesys queue", b.label())
				}
			default:
				ps.report(b.QueuePos, "redirect %s has a blank queue: set queue to the exact name of the Genesys queue", b.label())
			}
		})
	},
}

var ruleRedirectQueueWhitespace = &Rule{
	ID: RuleRedirectQueueWhitespace, Severity: SeverityError,
	Summary: "queue has leading, trailing or double white space (Genesys names must match exactly); white space inside the name is a warning until a queue check settles it",
	check: func(ps *pass) {
		redirects(ps, func(b *Block) {
			if b.Queue == nil || strings.TrimSpace(b.Queue.Source) == "" {
				return
			}
			q := b.Queue.Source
			if name, ok := redirectQueue(b); ok && ps.queues != nil {
				if _, settled := ps.queues.Verdicts[name]; settled {
					// The org has the exact name (no finding), or the
					// queue rule reports the name once, with the names
					// that do exist.
					return
				}
			}
			switch {
			case q != strings.TrimSpace(q):
				ps.report(b.QueuePos, "queue %q has leading or trailing white space; Genesys matches queue names exactly, white space included: remove it, or confirm the name with --org FILE or Genesys credentials", q)
			case strings.ContainsAny(q, "\n\r"):
				ps.report(b.QueuePos, "queue %q has a line break; Genesys matches queue names exactly, and a queue name is one line: remove it", q)
			case strings.Contains(q, "  ") || strings.Contains(q, "\t"):
				ps.reportAs(SeverityWarning, b.QueuePos, "queue %q has %s; Genesys matches queue names exactly, so the queue's name must have it too: confirm the name with --org FILE or Genesys credentials", q, innerSpace(q))
			}
		})
	},
}

func innerSpace(q string) string {
	if strings.Contains(q, "\t") {
		return "a tab"
	}
	return "a double space"
}

var ruleRedirectResumeWithoutNext = &Rule{
	ID: RuleRedirectResumeWithoutNext, Severity: SeverityError,
	Summary: "resume: true but no next to resume at",
	check: func(ps *pass) {
		redirects(ps, func(b *Block) {
			if b.Resume && b.Next == nil && !b.mistyped("next") {
				ps.report(b.ResumePos, "redirect %s has resume: true but no next: the bot has nowhere to resume when the agent closes; add next", b.label())
			}
		})
	},
}

var ruleRedirectNextWithoutResume = &Rule{
	ID: RuleRedirectNextWithoutResume, Severity: SeverityWarning,
	Summary: "next on a redirect without resume is never taken",
	check: func(ps *pass) {
		redirects(ps, func(b *Block) {
			if !b.Resume && b.Next != nil && !b.mistyped("resume") {
				ps.report(b.Next.Pos, "redirect %s has next %q but no resume: true, so the chat ends when the agent closes and next is never taken", b.label(), b.Next.Name)
			}
		})
	},
}

var ruleRedirectNoErrorPath = &Rule{
	ID: RuleRedirectNoErrorPath, Severity: SeverityWarning,
	Summary: "a redirect without onError: a failed handover ends the chat",
	check: func(ps *pass) {
		redirects(ps, func(b *Block) {
			if b.OnError == nil && !b.mistyped("onError") {
				ps.report(b.TypeAt(), "redirect %s has no onError: if the handover fails (queue not found or not permitted) the chat ends; add onError", b.label())
			}
		})
	},
}

var ruleRedirectDynamicQueue = &Rule{
	ID: RuleRedirectDynamicQueue, Severity: SeverityWarning,
	Summary: "queue contains {...}: it cannot be checked before run time",
	check: func(ps *pass) {
		redirects(ps, func(b *Block) {
			if b.Queue != nil && b.Queue.Err() == nil && !b.Queue.Static() {
				ps.report(b.QueuePos, "queue %q is computed at run time, so flowctl cannot check it against Genesys; prefer a fixed queue name", b.Queue.Source)
			}
		})
	},
}
