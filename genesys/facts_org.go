package genesys

import "fmt"

// OrgFacts returns the facts an org file holds for its OAuth client chosen
// by clientRef (name or id; "" when the file has one client). Every queue
// outside the client's visible divisions is known, so the search is
// cross-division, unless the file lists only the visible queues
// (queueCoverage: visible).
func OrgFacts(o *Org, clientRef string) (*Facts, error) {
	cl, err := o.Client(clientRef)
	if err != nil {
		return nil, err
	}
	if !cl.Active() {
		return nil, fmt.Errorf("OAuth client %q is %s in the org file: it cannot authenticate", cl.Name, cl.State)
	}
	f := &Facts{
		Source:        SourceOrg,
		Organization:  EntityRef{ID: o.Organization.ID, Name: o.Organization.Name},
		Client:        EntityRef{ID: cl.ID, Name: cl.Name},
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
		div := EntityRef{ID: AllDivisions, Name: AllDivisions}
		if rd.Division != AllDivisions {
			d := o.Division(rd.Division)
			if d == nil {
				continue
			}
			div = EntityRef{ID: d.ID, Name: d.Name}
		}
		f.Grants = append(f.Grants, Grant{Division: div, Role: EntityRef{ID: r.ID, Name: r.Name}, Permissions: r.Permissions})
	}
	for _, q := range o.Queues {
		d := o.Division(q.Division)
		gq := Queue{ID: q.ID, Name: q.Name, Division: EntityRef{ID: d.ID, Name: d.Name}}
		if o.clientCan(cl, PermQueueView, d.ID) {
			f.Visible = append(f.Visible, gq)
		} else {
			f.Others = append(f.Others, gq)
		}
	}
	return f, nil
}
