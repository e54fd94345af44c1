package genesys

import (
	"slices"

	"github.com/flowctl/flowctl/flow"
)

// Report is the verdict for each looked-up name, with the facts behind it.
type Report struct {
	*Facts
	Verdicts map[string]flow.QueueVerdict // by exact name
	// Missing are the handover permissions the client holds in no division
	// (when the grants are unknown, only those Genesys refused: Denied).
	Missing []string
	// Granted are the names of the divisions where the client holds
	// routing:queue:view ("*" for all divisions).
	Granted []string
}

// Reachable reports whether every name resolved to a reachable queue and
// no handover permission is missing.
func (r *Report) Reachable() bool {
	if len(r.Missing) > 0 {
		return false
	}
	for _, v := range r.Verdicts {
		if v.Status != flow.QueueReachable {
			return false
		}
	}
	return true
}

// QueueReport converts the report for flow.QueueFindings.
func (r *Report) QueueReport() *flow.QueueReport {
	return &flow.QueueReport{
		Client:             r.Client.Name,
		Verdicts:           r.Verdicts,
		MissingPermissions: slices.Clone(r.Missing),
	}
}

// permAlternatives are handover permissions another one satisfies as well:
// transferring to a queue needs ANY of blindTransfer and
// blindTransferQueue.
var permAlternatives = map[string]string{PermBlindTransfer: PermBlindTransferQueue}

// Resolve decides a verdict for each distinct name.
func Resolve(f *Facts, names []string) *Report {
	r := &Report{Facts: f, Verdicts: map[string]flow.QueueVerdict{}}
	if f.GrantsKnown {
		for _, d := range f.viewDivisions() {
			if d.ID == AllDivisions {
				r.Granted = []string{AllDivisions}
				break
			}
			r.Granted = append(r.Granted, d.Name)
		}
		slices.Sort(r.Granted)
		held := f.permissions()
		for _, p := range flow.HandoverPermissions {
			alt, hasAlt := permAlternatives[p]
			switch {
			case HasPermission(held, p) || (hasAlt && HasPermission(held, alt)):
			case hasAlt:
				r.Missing = append(r.Missing, p+" (or "+SplitPermission(alt)[2]+")")
			default:
				r.Missing = append(r.Missing, p)
			}
		}
	}
	for _, p := range f.Denied {
		if !slices.Contains(r.Missing, p) {
			r.Missing = append(r.Missing, p)
		}
	}
	slices.Sort(r.Missing)
	known := make([]string, 0, len(f.Visible)+len(f.Others))
	for _, q := range slices.Concat(f.Visible, f.Others) {
		known = append(known, q.Name)
	}
	for _, name := range names {
		if _, done := r.Verdicts[name]; done {
			continue
		}
		r.Verdicts[name] = r.verdict(name, known)
	}
	return r
}

// HiddenDivision returns the division of the queue named exactly name
// when it exists only outside the client's visible divisions.
func (r *Report) HiddenDivision(name string) (string, bool) {
	for _, q := range r.Visible {
		if q.Name == name {
			return "", false
		}
	}
	for _, q := range r.Others {
		if q.Name == name {
			return q.Division.Name, true
		}
	}
	return "", false
}

// verdict decides one name: an exact match (visible, else elsewhere), else
// queues differing only in case or white space (in any known division),
// else near misses by edit distance among every known queue.
func (r *Report) verdict(name string, known []string) flow.QueueVerdict {
	v := flow.QueueVerdict{Granted: slices.Clone(r.Granted), GrantsKnown: r.GrantsKnown, CrossDivision: r.CrossDivision}
	for _, q := range r.Visible {
		if q.Name == name {
			v.Status, v.QueueID, v.Division = flow.QueueReachable, q.ID, q.Division.Name
			return v
		}
	}
	for _, q := range r.Others {
		if q.Name == name {
			v.Status, v.QueueID, v.Division = flow.QueueDivisionNotPermitted, q.ID, q.Division.Name
			return v
		}
	}
	norm := normalizeName(name)
	for _, q := range slices.Concat(r.Visible, r.Others) {
		if normalizeName(q.Name) == norm && !slices.Contains(v.Similar, q.Name) {
			v.Similar = append(v.Similar, q.Name)
		}
	}
	if len(v.Similar) > 0 {
		slices.Sort(v.Similar)
		v.Status = flow.QueueNameMismatch
		v.Hidden = r.hiddenDivisions(v.Similar)
		return v
	}
	v.Status = flow.QueueNotFound
	v.Similar = nearMisses(name, known)
	v.Hidden = r.hiddenDivisions(v.Similar)
	return v
}

// hiddenDivisions maps those of names that exist only in divisions the
// client cannot see to their division; nil when there are none.
func (r *Report) hiddenDivisions(names []string) map[string]string {
	var out map[string]string
	for _, n := range names {
		if div, hidden := r.HiddenDivision(n); hidden {
			if out == nil {
				out = map[string]string{}
			}
			out[n] = div
		}
	}
	return out
}
