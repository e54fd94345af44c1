package genesys

import "strings"

// Permission strings flowctl looks at.
const (
	PermQueueView   = "routing:queue:view"
	PermQueueSearch = "routing:queue:search"
	PermClientView  = "oauth:client:view"
	PermRoleView    = "authorization:role:view"
	// Permissions of the Open Messaging handover.
	PermMessageReceive     = "conversation:message:receive"
	PermBlindTransfer      = "conversation:communication:blindTransfer"
	PermBlindTransferQueue = "conversation:communication:blindTransferQueue"
)

// AllDivisions is the division of a grant over every division.
const AllDivisions = "*"

// appendPermissions appends "domain:entity:action" for each action.
func appendPermissions(out []string, domain, entity string, actions []string) []string {
	for _, a := range actions {
		out = append(out, domain+":"+entity+":"+a)
	}
	return out
}

// permissionsOfPolicies expands policies into "domain:entity:action" strings.
func permissionsOfPolicies(ps []AuthzPolicy) []string {
	var out []string
	for _, p := range ps {
		out = appendPermissions(out, p.Domain, p.EntityName, p.Actions)
	}
	return out
}

// permissionsOfRole returns a role's permission strings from its permissions
// list and its permission policies.
func permissionsOfRole(r Role) []string {
	out := append([]string(nil), r.Permissions...)
	for _, p := range r.PermissionPolicies {
		out = appendPermissions(out, p.Domain, p.EntityName, p.ActionSet)
	}
	return out
}

// HasPermission reports whether one of held grants want; each of the three
// parts of a held permission may be "*".
func HasPermission(held []string, want string) bool {
	w := SplitPermission(want)
	for _, h := range held {
		p := SplitPermission(h)
		if (p[0] == "*" || p[0] == w[0]) && (p[1] == "*" || p[1] == w[1]) && (p[2] == "*" || p[2] == w[2]) {
			return true
		}
	}
	return false
}

// SplitPermission splits "domain:entity:action"; missing parts stay "" (and
// match only a held "*").
func SplitPermission(s string) [3]string {
	var out [3]string
	copy(out[:], strings.SplitN(s, ":", 3))
	return out
}
