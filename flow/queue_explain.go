package flow

import (
	"fmt"
	"strconv"
	"strings"
)

// The words of a queue verdict, in one place: Explain for one line
// (validate's findings, simulate and test transcripts, serve's handover
// errors), Describe for check-queue's report.

// Explain phrases the verdict on the exact queue name in one sentence.
// client names the OAuth client (`OAuth client "Bot"`); "" means "the
// OAuth client".
func (v QueueVerdict) Explain(name, client string) string {
	if client == "" {
		client = "the OAuth client"
	}
	switch v.Status {
	case QueueReachable:
		return fmt.Sprintf("queue %q is reachable: queue id %s, division %q", name, v.QueueID, v.Division)
	case QueueNameMismatch:
		return v.mismatch(name, nil)
	case QueueDivisionNotPermitted:
		granted := ""
		if v.GrantsKnown {
			granted = " (granted: " + DivisionList(v.Granted) + ")"
		}
		return fmt.Sprintf("queue %q is in division %q, where %s has no role granting routing:queue:view%s; grant the handover role in division %q or move the queue", name, v.Division, client, granted, v.Division)
	}
	return v.notFound(name, client, nil)
}

// notFound is the sentence of a QueueNotFound verdict: a name found nowhere
// does not exist when every division was searched; otherwise it is only
// not visible to the client.
func (v QueueVerdict) notFound(name, client string, hidden func(string) (string, bool)) string {
	s := fmt.Sprintf("no queue named %q exists in the organization", name)
	if !v.CrossDivision {
		s = fmt.Sprintf("no queue named %q is visible to %s (it may exist in a division the client cannot see)", name, client)
	}
	if len(v.Similar) > 0 {
		s += "; similar: " + quoteNames(v.Similar, " or ", v.hidden(hidden))
	}
	return s
}

// mismatch is the sentence of a QueueNameMismatch verdict.
func (v QueueVerdict) mismatch(name string, hidden func(string) (string, bool)) string {
	return fmt.Sprintf("no queue is named exactly %q; did you mean %s? Genesys matches queue names exactly, case and spaces included", name, quoteNames(v.Similar, " or ", v.hidden(hidden)))
}

// ReportContext is what a check-queue report knows around a verdict.
type ReportContext struct {
	Client string // `OAuth client "Bot"`
	// Hidden returns the division of the queue named exactly name when
	// the client cannot see it.
	Hidden func(name string) (division string, ok bool)
}

// Describe phrases the verdict on name for check-queue's report: its line
// (the quoted name, then what was found: for a name that matches no queue,
// the sentence of Explain) and the indented lines that follow it (the
// granted divisions and the fix).
func (v QueueVerdict) Describe(name string, c ReportContext) (line string, details []string) {
	switch v.Status {
	case QueueReachable:
		return fmt.Sprintf("%q: reachable: queue id %s, division %q", name, v.QueueID, v.Division), nil
	case QueueNameMismatch:
		return fmt.Sprintf("%q: %s", name, v.mismatch(name, c.Hidden)), nil
	case QueueDivisionNotPermitted:
		line = fmt.Sprintf("%q: exists (queue id %s) in division %q, where %s has no role granting routing:queue:view", name, v.QueueID, v.Division, c.Client)
		if v.GrantsKnown {
			details = append(details, "granted divisions: "+DivisionList(v.Granted))
		}
		details = append(details, fmt.Sprintf("fix: grant %s a role with routing:queue:view (e.g. the handover role) in division %q, or move the queue to a granted division", c.Client, v.Division))
		return line, details
	}
	return fmt.Sprintf("%q: %s", name, v.notFound(name, c.Client, c.Hidden)), nil
}

// hidden says in which division a near-miss name lies when the client
// cannot see it: from the verdict's Hidden, else from fallback.
func (v QueueVerdict) hidden(fallback func(string) (string, bool)) func(string) (string, bool) {
	if len(v.Hidden) == 0 {
		return fallback
	}
	return func(name string) (string, bool) {
		d, ok := v.Hidden[name]
		return d, ok
	}
}

// quoteNames quotes queue names joined by sep, saying where one lies in a
// division the client cannot see (when hidden is given).
func quoteNames(names []string, sep string, hidden func(string) (string, bool)) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
		if hidden == nil {
			continue
		}
		if div, ok := hidden(n); ok {
			q[i] += fmt.Sprintf(" (exists in division %q, not visible to the client)", div)
		}
	}
	return strings.Join(q, sep)
}

// divisionList names granted divisions ("*" is every division).
func DivisionList(ds []string) string {
	switch {
	case len(ds) == 0:
		return "no division"
	case len(ds) == 1 && ds[0] == "*":
		return "all divisions"
	}
	return strings.Join(ds, ", ")
}
