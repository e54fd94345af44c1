package genesys

// Sources of queue facts.
const (
	SourceOnline = "online"
	SourceOrg    = "org"
)

// Grant is one role granted to the OAuth client in one division.
type Grant struct {
	Division    EntityRef // ID "*" for all divisions
	Role        EntityRef
	Permissions []string
}

// Facts is what one lookup learned about the org and the OAuth client, from
// the API or from an org file. Resolve turns it into verdicts.
type Facts struct {
	Source       string // SourceOnline or SourceOrg
	Organization EntityRef
	Client       EntityRef
	// GrantsKnown is false when the client's role grants could not be read
	// (GrantsNote says why); permissions are then not checked.
	GrantsKnown bool
	GrantsNote  string
	Grants      []Grant
	// Denied are handover permissions Genesys refused a request for lack
	// of; they are missing even when the grants are unknown.
	Denied []string
	// Visible are the queues the client can see.
	Visible []Queue
	// Others are queues known to exist outside the visible divisions, as
	// the client could find them (routing:queue:search): an org file's
	// facts hold no more than Genesys would show the client.
	Others []Queue
	// CrossDivision is true when the queues outside the visible divisions
	// were searched (routing:queue:search, online or in an org file), so
	// that a name in neither list does not exist at all.
	CrossDivision bool
	// SearchNote says why no cross-division search was made, when it matters.
	SearchNote string
}

// permissions returns every permission the client holds, in any division.
func (f *Facts) permissions() []string {
	var out []string
	for _, g := range f.Grants {
		out = append(out, g.Permissions...)
	}
	return out
}

// Holds reports whether the client holds perm in some division. It is
// false when the grants are unknown.
func (f *Facts) Holds(perm string) bool { return HasPermission(f.permissions(), perm) }

// viewDivisions returns the grants' divisions that carry routing:queue:view.
func (f *Facts) viewDivisions() []EntityRef {
	var out []EntityRef
	seen := map[string]bool{}
	for _, g := range f.Grants {
		if HasPermission(g.Permissions, PermQueueView) && !seen[g.Division.ID] {
			seen[g.Division.ID] = true
			out = append(out, g.Division)
		}
	}
	return out
}
