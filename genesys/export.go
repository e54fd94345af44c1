package genesys

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"
)

// ExportOrg builds an org file of what the client can see: the
// organisation, its divisions, the visible queues (and, with
// routing:queue:search, the queues of every division), the client's roles
// and grants. Secrets are never part of it. Notes say what could not be
// read.
func (c *Client) ExportOrg(ctx context.Context) (*Org, []string, error) {
	f, err := c.Facts(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	var notes []string
	if f.GrantsNote != "" {
		notes = append(notes, f.GrantsNote)
	}
	if !f.GrantsKnown || f.Holds(PermQueueSearch) {
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
		case isRefusal(err):
			notes = append(notes, "queues outside the client's divisions are not exported: "+err.Error())
		default:
			return nil, nil, err
		}
	} else {
		notes = append(notes, "the client lacks routing:queue:search: only queues in its own divisions are exported")
	}
	divs, err := c.Divisions(ctx)
	if err != nil {
		if !isRefusal(err) {
			return nil, nil, err
		}
		notes = append(notes, "divisions: "+err.Error())
	}
	return buildOrg(f, divs), notes, nil
}

// buildOrg assembles an org file from facts and the division listing.
func buildOrg(f *Facts, divs []Division) *Org {
	o := &Org{Organization: OrgInfo{Name: f.Organization.Name, ID: f.Organization.ID}}
	if o.Organization.Name == "" {
		o.Organization.Name = f.Organization.ID
	}
	addDiv := func(id, name string, home bool) {
		if id == "" || id == AllDivisions || o.Division(id) != nil {
			return
		}
		if name == "" {
			name = id
		}
		o.Divisions = append(o.Divisions, OrgDivision{Name: name, ID: id, Home: home})
	}
	for _, d := range divs {
		addDiv(d.ID, d.Name, d.HomeDivision)
	}
	queues := append(slices.Clone(f.Visible), f.Others...)
	for _, q := range queues {
		addDiv(q.Division.ID, q.Division.Name, false)
		o.Queues = append(o.Queues, OrgQueue{Name: q.Name, ID: q.ID, Division: q.Division.Name})
	}
	for _, g := range f.Grants {
		addDiv(g.Division.ID, g.Division.Name, false)
	}
	slices.SortFunc(o.Divisions, func(a, b OrgDivision) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(o.Queues, func(a, b OrgQueue) int { return cmp.Compare(a.Name, b.Name) })
	for i := range o.Queues {
		if o.Queues[i].Division == "" {
			o.Queues[i].Division = o.Division(queueDivID(queues, o.Queues[i].ID)).Name
		}
	}

	cl := OrgClient{Name: f.Client.Name, ID: f.Client.ID}
	if cl.Name == "" {
		cl.Name = f.Client.ID
	}
	roles := map[string]*OrgRole{}
	for _, g := range f.Grants {
		r, ok := roles[g.Role.ID]
		if !ok {
			r = &OrgRole{Name: cmp.Or(g.Role.Name, g.Role.ID), ID: g.Role.ID}
			roles[g.Role.ID] = r
		}
		r.Permissions = sortedUnique(append(r.Permissions, g.Permissions...))
		div := AllDivisions
		if g.Division.ID != AllDivisions {
			div = o.Division(g.Division.ID).Name
		}
		cl.RoleDivisions = append(cl.RoleDivisions, OrgRoleDivision{Role: r.Name, Division: div})
	}
	for _, r := range roles {
		o.Roles = append(o.Roles, *r)
	}
	slices.SortFunc(o.Roles, func(a, b OrgRole) int { return cmp.Compare(a.Name, b.Name) })
	o.OAuthClients = []OrgClient{cl}
	return o
}

func queueDivID(qs []Queue, id string) string {
	for _, q := range qs {
		if q.ID == id {
			return q.Division.ID
		}
	}
	return ""
}

// MarshalOrg writes an org file as YAML, one line per division, queue and
// grant. Secrets are dropped.
func MarshalOrg(o *Org, header string) ([]byte, error) {
	clean := *o
	clean.OAuthClients = slices.Clone(o.OAuthClients)
	for i := range clean.OAuthClients {
		clean.OAuthClients[i].Secret = ""
	}
	clean.Integrations = slices.Clone(o.Integrations)
	for i := range clean.Integrations {
		clean.Integrations[i].WebhookSecret = ""
	}
	var n yaml.Node
	if err := n.Encode(&clean); err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "organization":
			n.Content[i+1].Style = yaml.FlowStyle
		case "divisions", "queues", "integrations", "agents":
			for _, item := range n.Content[i+1].Content {
				item.Style = yaml.FlowStyle
			}
		case "oauthClients":
			for _, cl := range n.Content[i+1].Content {
				for j := 0; j+1 < len(cl.Content); j += 2 {
					if cl.Content[j].Value == "roleDivisions" {
						for _, rd := range cl.Content[j+1].Content {
							rd.Style = yaml.FlowStyle
						}
					}
				}
			}
		}
	}
	var b bytes.Buffer
	b.WriteString("# yaml-language-server: $schema=https://flowctl.dev/schemas/org.schema.json\n")
	if header != "" {
		for _, line := range bytes.Split([]byte(header), []byte("\n")) {
			fmt.Fprintf(&b, "# %s\n", line)
		}
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
