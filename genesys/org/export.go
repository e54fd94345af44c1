package org

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/flowctl/flowctl/genesys"
)

// Export builds an org file of what the client can see: the
// organisation, its divisions, the visible queues (and, with
// routing:queue:search, the queues of every division), the client's roles
// and grants. Secrets are never part of it. Notes say what could not be
// read.
//
// When the client's grants cannot be read the export fails with a
// *GrantsUnknownError: a snapshot without them would report every handover
// permission missing, while the live org says "not checked". When the
// queues of every division cannot be listed, the org file says so
// (queueCoverage: visible), and a name found in no listed queue is then
// "not visible" rather than "does not exist".
func Export(ctx context.Context, c *genesys.Client) (*File, []string, error) {
	f, err := c.Facts(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	if !f.GrantsKnown {
		return nil, nil, &GrantsUnknownError{Note: f.GrantsNote}
	}
	var notes []string
	coverage := QueueCoverageAll
	if f.Holds(genesys.PermQueueSearch) {
		all, err := c.AllQueues(ctx)
		switch {
		case err == nil:
			seen := map[string]bool{}
			for _, q := range f.Visible {
				seen[q.ID] = true
			}
			for _, q := range all {
				if !seen[q.ID] {
					f.Others = append(f.Others, q)
				}
			}
		case genesys.IsRefusal(err):
			coverage = QueueCoverageVisible
			notes = append(notes, "queues outside the client's divisions are not exported: "+err.Error())
		default:
			return nil, nil, err
		}
	} else {
		coverage = QueueCoverageVisible
		notes = append(notes, "the client lacks routing:queue:search: only queues in its own divisions are exported")
	}
	divs, err := c.Divisions(ctx)
	if err != nil {
		if !genesys.IsRefusal(err) {
			return nil, nil, err
		}
		notes = append(notes, "divisions: "+err.Error())
	}
	o, more := buildOrg(f, divs)
	if coverage == QueueCoverageVisible {
		o.QueueCoverage = coverage
	}
	return o, append(notes, more...), nil
}

// GrantsUnknownError says why org export could not read the OAuth client's
// role grants.
type GrantsUnknownError struct{ Note string }

func (e *GrantsUnknownError) Error() string {
	return "cannot export the org: the OAuth client's role grants cannot be read (" + e.Note + "); " +
		"a snapshot without them would report every handover permission missing. " +
		"Grant the client oauth:client:view and authorization:role:view, then export again"
}

// buildOrg assembles an org file from facts and the division listing. A
// division, queue or role Genesys described without an id is kept by its
// name; what has neither id nor name is left out, with a note.
func buildOrg(f *genesys.Facts, divs []genesys.Division) (*File, []string) {
	var notes []string
	o := &File{Organization: Info{Name: cmp.Or(f.Organization.Name, f.Organization.ID), ID: f.Organization.ID}}
	// addDiv records a division and returns the name the org file refers
	// to it by ("" when Genesys gave neither id nor name).
	addDiv := func(id, name string, home bool) string {
		switch {
		case id == genesys.AllDivisions:
			return genesys.AllDivisions
		case id == "" && name == "":
			return ""
		}
		if d := o.Division(cmp.Or(id, name)); d != nil {
			return d.Name
		}
		if d := o.Division(name); d != nil && name != "" {
			return d.Name
		}
		o.Divisions = append(o.Divisions, Division{Name: cmp.Or(name, id), ID: id, Home: home})
		return cmp.Or(name, id)
	}
	for _, d := range divs {
		addDiv(d.ID, d.Name, d.HomeDivision)
	}
	for _, q := range append(slices.Clone(f.Visible), f.Others...) {
		div := addDiv(q.Division.ID, q.Division.Name, false)
		name := cmp.Or(q.Name, q.ID)
		switch {
		case name == "":
			notes = append(notes, "a queue without id or name is not exported")
			continue
		case div == "":
			notes = append(notes, fmt.Sprintf("queue %q (id %s) has no division: not exported", name, q.ID))
			continue
		}
		o.Queues = append(o.Queues, Queue{Name: name, ID: q.ID, Division: div})
	}
	slices.SortFunc(o.Queues, func(a, b Queue) int { return cmp.Compare(a.Name, b.Name) })

	cl := Client{Name: cmp.Or(f.Client.Name, f.Client.ID), ID: f.Client.ID}
	roles := map[string]*Role{}
	for _, g := range f.Grants {
		key := cmp.Or(g.Role.ID, g.Role.Name)
		div := addDiv(g.Division.ID, g.Division.Name, false)
		switch {
		case key == "":
			notes = append(notes, "a grant of a role without id or name is not exported")
			continue
		case div == "":
			notes = append(notes, fmt.Sprintf("the grant of role %q names no division: not exported", key))
			continue
		}
		r, ok := roles[key]
		if !ok {
			r = &Role{Name: cmp.Or(g.Role.Name, g.Role.ID), ID: g.Role.ID}
			roles[key] = r
		}
		r.Permissions = sortedUnique(append(r.Permissions, g.Permissions...))
		cl.RoleDivisions = append(cl.RoleDivisions, RoleDivision{Role: r.Name, Division: div})
	}
	for _, r := range roles {
		o.Roles = append(o.Roles, *r)
	}
	slices.SortFunc(o.Roles, func(a, b Role) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(o.Divisions, func(a, b Division) int { return cmp.Compare(a.Name, b.Name) })
	o.OAuthClients = []Client{cl}
	return o, notes
}
