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
	Summary: "queue has leading, trailing or double white space (Genesys names must match exactly)",
	check: func(ps *pass) {
		redirects(ps, func(b *Block) {
			if b.Queue == nil || strings.TrimSpace(b.Queue.Source) == "" {
				return
			}
			q := b.Queue.Source
			var what string
			switch {
			case q != strings.TrimSpace(q):
				what = "leading or trailing white space"
			case strings.Contains(q, "  "):
				what = "a double space"
			case strings.ContainsAny(q, "\t\n\r"):
				what = "a tab or line break"
			default:
				return
			}
			ps.report(b.QueuePos, "queue %q has %s; Genesys matches queue names exactly: did you mean %q?", q, what, strings.Join(strings.Fields(q), " "))
		})
	},
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
