package flow

import (
	"fmt"
	"strings"
)

// QueueStatus is what an org says about one exact queue name.
type QueueStatus int

// Queue statuses, from best to worst.
const (
	// QueueReachable: a queue of exactly that name is visible to the client.
	QueueReachable QueueStatus = iota + 1
	// QueueNameMismatch: no exact match, but a visible queue differs only in
	// case or white space (Similar holds it).
	QueueNameMismatch
	// QueueDivisionNotPermitted: the queue exists, in a division where the
	// client's roles grant no routing:queue:view.
	QueueDivisionNotPermitted
	// QueueNotFound: no queue of that name exists or is visible.
	QueueNotFound
)

// QueueVerdict explains the outcome of looking up one queue name.
type QueueVerdict struct {
	Status QueueStatus
	// QueueID and Division describe the queue when it was found.
	QueueID  string
	Division string
	// Similar lists near-miss queue names (case, white space, a few edits),
	// best first.
	Similar []string
	// Granted lists the divisions where the client holds routing:queue:view
	// ("*" for all divisions), when GrantsKnown: the client's role grants
	// could be read.
	Granted     []string
	GrantsKnown bool
	// Hidden maps each Similar name of a queue that lies in a division the
	// client cannot see to that division, so that messages say so.
	Hidden map[string]string
	// CrossDivision is true when every division was searched (online with
	// routing:queue:search, or an org file that lists every queue): a name
	// found nowhere does not exist, rather than not being visible.
	CrossDivision bool
}

// queueRules are the rules of the verdicts that are findings.
var queueRules = map[QueueStatus]string{
	QueueNameMismatch:         RuleQueueNameMismatch,
	QueueDivisionNotPermitted: RuleQueueDivisionNotPermitted,
	QueueNotFound:             RuleQueueNotFound,
}

// QueueReport is what the queue checks of a validate run know: a verdict per
// distinct static queue name and the handover permissions the client lacks.
type QueueReport struct {
	Client             string                  // the OAuth client's name, for messages
	Verdicts           map[string]QueueVerdict // by exact queue name
	MissingPermissions []string                // sorted
}

// HandoverPermissions are the permissions the OAuth client needs for a
// handover (spec §3 missing-permission).
var HandoverPermissions = []string{
	"routing:queue:view",
	"conversation:communication:blindTransfer",
	"conversation:message:receive",
	"messaging:integration:view",
}

// QueueNames returns the distinct static queue names of the projects'
// redirects, sorted: what a queue resolver must look up.
func QueueNames(projects ...*Project) []string {
	seen := map[string]bool{}
	for _, p := range projects {
		for _, f := range p.Flows {
			for _, b := range f.Blocks {
				if name, ok := redirectQueue(b); ok {
					seen[name] = true
				}
			}
		}
	}
	return sortedKeys(seen)
}

// redirectQueue returns a redirect's static, non-blank queue name.
func redirectQueue(b *Block) (string, bool) {
	if b.Type != TypeRedirect || b.Queue == nil {
		return "", false
	}
	name, ok := b.Queue.StaticText()
	if !ok || strings.TrimSpace(name) == "" {
		return "", false
	}
	return name, true
}

// QueueFindings returns the queue-* and missing-permission findings of a
// project against a queue report, sorted by position.
func QueueFindings(p *Project, r *QueueReport) []Finding {
	return queueFindings(p.File, redirectUses(p), r)
}

// queueFindings returns the queue findings of a file's redirects.
func queueFindings(file string, redirects []redirectUse, r *QueueReport) []Finding {
	if r == nil {
		return nil
	}
	var out []Finding
	add := func(rule string, pos Pos, format string, a ...any) {
		out = append(out, Finding{File: file, Line: pos.Line, Column: pos.Col, Severity: severityOf(rule), Rule: rule, Message: cleanMessage(fmt.Sprintf(format, a...))})
	}
	client := "the OAuth client"
	if r.Client != "" {
		client = fmt.Sprintf("OAuth client %q", r.Client)
	}
	for _, u := range redirects {
		if v, ok := r.Verdicts[u.name]; ok && u.static && queueRules[v.Status] != "" {
			add(queueRules[v.Status], u.pos, "%s", v.Explain(u.name, client))
		}
		for _, perm := range r.MissingPermissions {
			add(RuleMissingPermission, u.pos, "%s lacks permission %s, which the handover to %q needs; add it to the client's role", client, perm, u.name)
		}
	}
	return SortFindings(out)
}
