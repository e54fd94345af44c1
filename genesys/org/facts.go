package org

import (
	"fmt"

	"github.com/flowctl/flowctl/genesys"
)

// Facts returns the facts an org file holds for its OAuth client chosen
// by clientRef (name or id; "" when the file has one client). Every queue
// outside the client's visible divisions is known, so the search is
// cross-division, unless the file lists only the visible queues
// (queueCoverage: visible).
func Facts(o *File, clientRef string) (*genesys.Facts, error) {
	cl, err := o.Client(clientRef)
	if err != nil {
		return nil, err
	}
	if !cl.Active() {
		return nil, fmt.Errorf("OAuth client %q is %s in the org file: it cannot authenticate", cl.Name, cl.State)
	}
	f := &genesys.Facts{
		Source:        genesys.SourceOrg,
		Organization:  genesys.EntityRef{ID: o.Organization.ID, Name: o.Organization.Name},
		Client:        genesys.EntityRef{ID: cl.ID, Name: cl.Name},
		GrantsKnown:   true,
		CrossDivision: o.QueueCoverage != QueueCoverageVisible,
	}
	if !f.CrossDivision {
		f.SearchNote = "the org file lists only the queues the OAuth client could see when it was exported (queueCoverage: visible), so queues in other divisions are unknown"
	}
	for _, rd := range cl.RoleDivisions {
		r := o.Role(rd.Role)
		if r == nil {
			continue
		}
		div := genesys.EntityRef{ID: genesys.AllDivisions, Name: genesys.AllDivisions}
		if rd.Division != genesys.AllDivisions {
			d := o.Division(rd.Division)
			if d == nil {
				continue
			}
			div = genesys.EntityRef{ID: d.ID, Name: d.Name}
		}
		f.Grants = append(f.Grants, genesys.Grant{Division: div, Role: genesys.EntityRef{ID: r.ID, Name: r.Name}, Permissions: r.Permissions})
	}
	for _, q := range o.Queues {
		d := o.Division(q.Division)
		gq := genesys.Queue{ID: q.ID, Name: q.Name, Division: genesys.EntityRef{ID: d.ID, Name: d.Name}}
		if o.ClientCan(cl, genesys.PermQueueView, d.ID) {
			f.Visible = append(f.Visible, gq)
		} else {
			f.Others = append(f.Others, gq)
		}
	}
	return f, nil
}
