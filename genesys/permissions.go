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
	// Permissions of ending a message conversation.
	PermDisconnect  = "conversation:communication:disconnect"
	PermMessagePark = "conversation:message:park"
)

// BridgeNeed is one permission flowctl serve's own bridge needs: any one
// of AnyOf, for the call Call.
type BridgeNeed struct {
	AnyOf []string
	Call  string // "METHOD /path"
	Why   string
}

// BridgePermissions are what the bridge's own calls need (genesys-api.md
// §0.6), apart from the bot platform's list (flow.HandoverPermissions)
// that validate and check-queue judge. GET
// /api/v2/conversations/messages/{id} lists no permission in the SDK and
// the notification channel endpoints none either (a rejected topic names
// its own), so neither is here.
var BridgePermissions = []BridgeNeed{
	{AnyOf: []string{PermMessageReceive}, Call: "POST /api/v2/conversations/messages/{integrationId}/inbound/open/message", Why: "send the customer's messages"},
	{AnyOf: []string{PermQueueView}, Call: "GET /api/v2/routing/queues", Why: "look the queue up by name"},
	{AnyOf: []string{PermBlindTransfer, PermBlindTransferQueue}, Call: "POST /api/v2/conversations/{id}/participants/{participantId}/replace/queue", Why: "put the conversation in the queue"},
	{AnyOf: []string{PermDisconnect, PermMessagePark}, Call: "PATCH /api/v2/conversations/messages/{id}", Why: "end the conversation when the customer leaves"},
}

// MissingBridgePermissions returns the needs of BridgePermissions that f's
// grants meet in no division; nil when the grants are unknown (see
// f.GrantsNote).
func MissingBridgePermissions(f *Facts) []BridgeNeed {
	if !f.GrantsKnown {
		return nil
	}
	var out []BridgeNeed
	for _, n := range BridgePermissions {
		ok := false
		for _, p := range n.AnyOf {
			ok = ok || f.Holds(p)
		}
		if !ok {
			out = append(out, n)
		}
	}
	return out
}

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
