package genesys

import (
	"context"
	"slices"
	"strings"
)

// perNameSearchMax is the most names searched one by one across divisions;
// beyond it the whole cross-division digest is listed instead.
const perNameSearchMax = 2

// Facts asks Genesys Cloud what the client can see, for looking up names:
// the token's org and client, the client's grants, every visible queue, and
// — for names not visible, when the client may search queues across
// divisions — where those queues are. The number of requests depends on the
// number of pages and of unresolved names, never on how often a name occurs.
func (c *Client) Facts(ctx context.Context, names []string) (*Facts, error) {
	f, err := c.Grants(ctx)
	if err != nil {
		return nil, err
	}
	if f.GrantsKnown && !f.Holds(PermQueueView) {
		// Listing would fail or be empty: the client sees no queue at all.
		f.Visible = nil
	} else if f.Visible, err = c.Queues(ctx); err != nil {
		if f.GrantsKnown || !isMissingPermission(err) {
			return nil, err
		}
		// The grants are unknown, and Genesys says the client holds
		// routing:queue:view in no division: a verdict, not a failure.
		f.Visible = nil
		f.Denied = append(f.Denied, PermQueueView)
	}
	return f, c.searchOthers(ctx, f, names)
}

// readGrants fills f's grants. UNCONFIRMED whether authorization/subjects/me
// answers for a client-credentials token: when it fails (400, 403, 404) or
// lists no grant, fall back to the client's roleDivisions (from tokens/me or
// oauth/clients/{id}) and each role (roles/{id}). When that fails too the
// grants stay unknown.
func (c *Client) readGrants(ctx context.Context, f *Facts, ti *TokenInfo) error {
	subj, err := c.SubjectMe(ctx)
	switch {
	case err == nil && len(subj.Grants) > 0:
		for _, g := range subj.Grants {
			f.Grants = append(f.Grants, Grant{
				Division:    EntityRef{ID: g.Division.ID, Name: divisionName(g.Division)},
				Role:        EntityRef{ID: g.Role.ID, Name: g.Role.Name},
				Permissions: permissionsOfPolicies(g.Role.Policies),
			})
		}
		f.GrantsKnown = true
		return nil
	case err != nil && !IsRefusal(err):
		return err
	}
	note, err := c.grantsFromClient(ctx, f, ti)
	if err != nil {
		return err
	}
	f.GrantsNote = note
	return nil
}

func (c *Client) grantsFromClient(ctx context.Context, f *Facts, ti *TokenInfo) (note string, err error) {
	var rds []RoleDivision
	if ti.OAuthClient != nil {
		rds = ti.OAuthClient.RoleDivisions
	}
	if len(rds) == 0 {
		oc, err := c.OAuthClient(ctx, f.Client.ID)
		if err != nil {
			if IsRefusal(err) {
				return "cannot read the client's roles: " + err.Error() + " (grant oauth:client:view to check permissions)", nil
			}
			return "", err
		}
		rds = oc.RoleDivisions
		if f.Client.Name == "" {
			f.Client.Name = oc.Name
		}
	}
	if len(rds) == 0 {
		f.GrantsKnown = true
		return "", nil
	}
	roles := map[string]*Role{}
	for _, rd := range rds {
		if _, ok := roles[rd.RoleID]; ok {
			continue
		}
		r, err := c.Role(ctx, rd.RoleID)
		if err != nil {
			if IsRefusal(err) {
				return "cannot read role " + rd.RoleID + ": " + err.Error() + " (grant authorization:role:view to check permissions)", nil
			}
			return "", err
		}
		roles[rd.RoleID] = r
	}
	divs, err := c.Divisions(ctx)
	if err != nil && !IsRefusal(err) {
		return "", err
	}
	divName := map[string]string{AllDivisions: AllDivisions}
	for _, d := range divs {
		divName[d.ID] = d.Name
	}
	for _, rd := range rds {
		r := roles[rd.RoleID]
		name := divName[rd.DivisionID]
		if name == "" {
			name = rd.DivisionID
		}
		f.Grants = append(f.Grants, Grant{
			Division:    EntityRef{ID: rd.DivisionID, Name: name},
			Role:        EntityRef{ID: r.ID, Name: r.Name},
			Permissions: permissionsOfRole(*r),
		})
	}
	f.GrantsKnown = true
	return "", nil
}

// searchOthers looks for names not visible in other divisions, when the
// client may search across divisions and does not already see them all.
func (c *Client) searchOthers(ctx context.Context, f *Facts, names []string) error {
	visible := map[string]bool{}
	for _, q := range f.Visible {
		visible[q.Name] = true
	}
	var missing []string
	seen := map[string]bool{}
	for _, n := range names {
		if !visible[n] && !seen[n] {
			seen[n] = true
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if f.GrantsKnown {
		for _, d := range f.viewDivisions() {
			if d.ID == AllDivisions {
				f.CrossDivision = true // every queue is visible
				return nil
			}
		}
		if !f.Holds(PermQueueSearch) {
			f.SearchNote = "the client lacks routing:queue:search, so queues in divisions it cannot see were not searched"
			return nil
		}
	}
	visibleID := map[string]bool{}
	for _, q := range f.Visible {
		visibleID[q.ID] = true
	}
	// Every queue a search returns is kept, including matches that differ
	// in case (the server's name filter may ignore it): they are the near
	// misses in divisions the client cannot see.
	keep := func(qs []Queue) {
		for _, q := range qs {
			if !visibleID[q.ID] {
				visibleID[q.ID] = true
				f.Others = append(f.Others, q)
			}
		}
	}
	if len(missing) <= perNameSearchMax {
		for _, n := range missing {
			for _, term := range searchTerms(n) {
				qs, err := c.SearchQueues(ctx, term)
				if err != nil {
					return c.searchFailed(f, err)
				}
				keep(qs)
			}
		}
	} else {
		qs, err := c.AllQueues(ctx)
		if err != nil {
			return c.searchFailed(f, err)
		}
		keep(qs)
	}
	f.CrossDivision = true
	return nil
}

func (c *Client) searchFailed(f *Facts, err error) error {
	if IsRefusal(err) {
		f.Others = nil
		f.SearchNote = "cannot search queues across divisions: " + err.Error()
		return nil
	}
	return err
}

func divisionName(d Division) string {
	if d.ID == AllDivisions {
		return AllDivisions
	}
	if d.Name == "" {
		return d.ID
	}
	return d.Name
}

// searchTerms are the name filters to look a name up with: as written and,
// when it has stray white space, with its white space collapsed.
func searchTerms(name string) []string {
	terms := []string{name}
	if collapsed := strings.Join(strings.Fields(name), " "); collapsed != name && collapsed != "" {
		terms = append(terms, collapsed)
	}
	return terms
}

// appendNewQueues appends the queues of qs not in list already (by id).
func appendNewQueues(list, qs []Queue) []Queue {
	for _, q := range qs {
		if !slices.ContainsFunc(list, func(l Queue) bool { return l.ID == q.ID }) {
			list = append(list, q)
		}
	}
	return list
}

// Grants reads the token's org and client and the client's grants, with
// the same fallbacks as Facts, and lists no queue.
func (c *Client) Grants(ctx context.Context) (*Facts, error) {
	ti, err := c.TokenInfo(ctx)
	if err != nil {
		return nil, err
	}
	f := &Facts{Source: SourceOnline, Organization: EntityRef{ID: ti.Organization.ID, Name: ti.Organization.Name}, Client: EntityRef{ID: c.cfg.ClientID}}
	if ti.OAuthClient != nil {
		f.Client = EntityRef{ID: ti.OAuthClient.ID, Name: ti.OAuthClient.Name}
	}
	return f, c.readGrants(ctx, f, ti)
}
