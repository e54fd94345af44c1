package org

import (
	"fmt"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/internal/lazyre"
	"github.com/flowctl/flowctl/internal/suggest"
	"github.com/flowctl/flowctl/schemas"
	"gopkg.in/yaml.v3"
)

// The checks of an org file beyond its schema: ids filled in from names,
// names and ids unique per kind, references that resolve, permissions that
// are written right; each problem at the YAML node it is about.

// orgChecker checks references and uniqueness, reporting at YAML positions.
type orgChecker struct {
	root     *yaml.Node
	org      *File
	problems []Problem
	// unreadable are the kinds whose names the schema problems leave
	// unknown: their uniqueness and the references to them are not checked.
	unreadable map[string]bool
}

// named is an org file entity with a name and an id (derived from the name
// when left out).
type named[T any] interface {
	*T
	ident() (name string, id *string)
}

func (d *Division) ident() (string, *string)    { return d.Name, &d.ID }
func (q *Queue) ident() (string, *string)       { return q.Name, &q.ID }
func (r *Role) ident() (string, *string)        { return r.Name, &r.ID }
func (c *Client) ident() (string, *string)      { return c.Name, &c.ID }
func (i *Integration) ident() (string, *string) { return i.Name, &i.ID }
func (a *Agent) ident() (string, *string)       { return a.Name, &a.ID }

// fillIDs gives every item without an id the stable id of its kind and name.
func fillIDs[T any, P named[T]](kind string, items []T) {
	for i := range items {
		if name, id := P(&items[i]).ident(); *id == "" {
			*id = StableID(kind, name)
		}
	}
}

func (c *orgChecker) fillIDs() {
	o := c.org
	if o.Organization.ID == "" {
		o.Organization.ID = StableID("organization", o.Organization.Name)
	}
	fillIDs("division", o.Divisions)
	fillIDs("queue", o.Queues)
	fillIDs("role", o.Roles)
	fillIDs("oauthClient", o.OAuthClients)
	fillIDs("integration", o.Integrations)
	fillIDs("agent", o.Agents)
}

func (c *orgChecker) check() {
	o := c.org
	unique(c, "divisions", "division", o.Divisions)
	unique(c, "queues", "queue", o.Queues)
	unique(c, "roles", "role", o.Roles)
	unique(c, "oauthClients", "OAuth client", o.OAuthClients)
	unique(c, "integrations", "integration", o.Integrations)
	unique(c, "agents", "agent", o.Agents)
	divisionsOK, rolesOK, queuesOK := !c.unreadable["divisions"], !c.unreadable["roles"], !c.unreadable["queues"]

	homes := 0
	for i, d := range o.Divisions {
		if d.Home {
			homes++
			if homes == 2 {
				c.report(c.at("divisions", i, "home"), "more than one home division")
			}
		}
	}
	divisions, roles, queues := names(o.Divisions), names(o.Roles), names(o.Queues)
	for i, q := range o.Queues {
		if divisionsOK && o.Division(q.Division) == nil {
			c.report(c.at("queues", i, "division"), fmt.Sprintf("queue %q: no division %q%s", q.Name, q.Division, didYouMean(q.Division, divisions)))
		}
	}
	for i, r := range o.Roles {
		for j, p := range r.Permissions {
			if msg := permissionProblem(p); msg != "" {
				c.report(c.at("roles", i, "permissions", j), fmt.Sprintf("role %q: %s", r.Name, msg))
			}
		}
	}
	for i, cl := range o.OAuthClients {
		for j, rd := range cl.RoleDivisions {
			if rolesOK && o.Role(rd.Role) == nil {
				c.report(c.at("oauthClients", i, "roleDivisions", j, "role"), fmt.Sprintf("OAuth client %q: no role %q%s", cl.Name, rd.Role, didYouMean(rd.Role, roles)))
			}
			if divisionsOK && rd.Division != genesys.AllDivisions && o.Division(rd.Division) == nil {
				c.report(c.at("oauthClients", i, "roleDivisions", j, "division"), fmt.Sprintf("OAuth client %q: no division %q (use * for all divisions)%s", cl.Name, rd.Division, didYouMean(rd.Division, divisions)))
			}
		}
	}
	for i, a := range o.Agents {
		for j, q := range a.Queues {
			if queuesOK && o.Queue(q) == nil {
				c.report(c.at("agents", i, "queues", j), fmt.Sprintf("agent %q: no queue %q%s", a.Name, q, didYouMean(q, queues)))
			}
		}
	}
}

// names returns the names of an org file's entities of one kind.
func names[T any, P named[T]](items []T) []string {
	out := make([]string, len(items))
	for i := range items {
		out[i], _ = P(&items[i]).ident()
	}
	return out
}

// didYouMean is `; did you mean "x"?` for the name probably meant, or "".
func didYouMean(name string, candidates []string) string {
	if s := suggest.Closest(name, candidates); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}

// knownPermissions are the Genesys permissions flowctl knows: the handover's,
// and those its checks and the org export read. A role's permission a few
// edits from one of them is a typo; others are taken as written (an
// exported org holds many more).
var knownPermissions = []string{
	"authorization:grant:view", genesys.PermRoleView, "conversation:communication:blindTransfer",
	"conversation:communication:blindTransferQueue", "conversation:communication:disconnect",
	"conversation:communication:target", "conversation:communication:view", "conversation:message:park",
	"conversation:message:receive", "messaging:integration:view", genesys.PermClientView, genesys.PermQueueSearch, genesys.PermQueueView,
}

var permissionPartRe = lazyre.New(`^(?:\*|[A-Za-z][A-Za-z0-9_-]*)$`)

// permissionProblem says what is wrong with a role's permission string, or
// returns "": its shape (domain:entity:action, each part a name or *), or a
// typo of a permission flowctl knows.
func permissionProblem(p string) string {
	parts := strings.Split(p, ":")
	for _, part := range parts {
		if len(parts) != 3 || !permissionPartRe.MatchString(part) {
			return fmt.Sprintf("%q is no permission: write domain:entity:action (each part a name or *), e.g. %s", p, genesys.PermQueueView)
		}
	}
	if slices.Contains(knownPermissions, p) || strings.Contains(p, "*") {
		return ""
	}
	best, bestD := "", 3
	for _, k := range knownPermissions {
		if d := suggest.Distance(strings.ToLower(p), strings.ToLower(k), 2); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("unknown permission %q; did you mean %q?", p, best)
}

// unique reports a second entity of one kind with the same name or id, and
// a name that is another entity's id (a reference to it would be
// ambiguous: references take a name or an id).
func unique[T any, P named[T]](c *orgChecker, key, kind string, items []T) {
	if c.unreadable[key] {
		return
	}
	names, ids := map[string]int{}, map[string]int{}
	for i := range items {
		name, idp := P(&items[i]).ident()
		id := *idp
		_, dupName := names[name]
		_, dupID := ids[id]
		switch {
		case dupName:
			c.report(c.at(key, i, "name"), fmt.Sprintf("duplicate %s name %q", kind, name))
		case dupID:
			c.report(c.at(key, i, "id"), fmt.Sprintf("duplicate %s id %q", kind, id))
		}
		if j, ok := ids[name]; ok && !dupName {
			other, _ := P(&items[j]).ident()
			c.report(c.at(key, i, "name"), fmt.Sprintf("%s name %q is also the id of %s %q: a reference to it would be ambiguous", kind, name, kind, other))
		}
		if _, ok := names[id]; ok && !dupID {
			c.report(c.at(key, i, "id"), fmt.Sprintf("%s id %q is also the name of %s %q: a reference to it would be ambiguous", kind, id, kind, id))
		}
		if !dupName {
			names[name] = i
		}
		if !dupID {
			ids[id] = i
		}
	}
}

func (c *orgChecker) report(n *yaml.Node, msg string) {
	c.problems = append(c.problems, Problem{Line: n.Line, Col: n.Column, Message: msg})
}

// at walks from the root by mapping keys (string) and sequence indexes (int),
// returning the deepest node found.
func (c *orgChecker) at(path ...any) *yaml.Node {
	n := c.root
	for _, step := range path {
		var next *yaml.Node
		switch s := step.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == s {
						next = n.Content[i+1]
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && s < len(n.Content) {
				next = n.Content[s]
			}
		}
		if next == nil {
			return n
		}
		n = next
	}
	return n
}

// entityKinds are the top-level keys of the entities references name.
var entityKinds = []string{"divisions", "queues", "roles", "oauthClients", "integrations", "agents"}

// unreadable returns the kinds of entity (top-level keys) whose names the
// schema problems leave unknown: the key is missing, or the list, an item,
// or an item's name or id is missing (or misspelt) or has the wrong shape.
// A reference to such a kind cannot be checked: the name it gives may be
// the one that is unreadable. Other unknown fields leave the names readable.
func unreadable(root *yaml.Node, problems []schemas.Problem) map[string]bool {
	out := map[string]bool{}
	for _, kind := range entityKinds {
		present := false
		for i := 0; i+1 < len(root.Content); i += 2 {
			present = present || root.Content[i].Value == kind
		}
		if !present {
			out[kind] = true
		}
	}
	for _, p := range problems {
		path := p.Path
		if p.Key != "" { // an unknown field: a misspelt name or id hides it
			if p.Suggest != "name" && p.Suggest != "id" {
				continue
			}
			path = path[:len(path)-len(p.Key)] + p.Suggest
		}
		if m := unreadablePathRe.FindStringSubmatch(path); m != nil {
			out[m[1]] = true
		}
	}
	return out
}

var unreadablePathRe = lazyre.New(`^([A-Za-z]+)(?:\[\d+\](?:\.(?:name|id))?)?$`)

// problemsBeyond returns the checker's problems that are not at the
// position of one already reported (a schema problem says it better).
func (c *orgChecker) problemsBeyond(reported []Problem) []Problem {
	at := map[[2]int]bool{}
	for _, p := range reported {
		at[[2]int{p.Line, p.Col}] = true
	}
	var out []Problem
	for _, p := range c.problems {
		if !at[[2]int{p.Line, p.Col}] {
			out = append(out, p)
		}
	}
	return out
}
