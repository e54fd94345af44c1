package org

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/internal/lazyre"
	"github.com/flowctl/flowctl/internal/suggest"
	"github.com/flowctl/flowctl/schemas"
	"gopkg.in/yaml.v3"
)

// Problem is one error in an org file, at a 1-based line and column.
type Problem struct {
	Line, Col int
	Message   string
}

// Error lists every problem of an invalid org file.
type Error struct {
	File     string
	Problems []Problem // sorted by position
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid org file %s:", e.File)
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  %s:%d:%d: %s", e.File, p.Line, p.Col, p.Message)
	}
	return b.String()
}

// Load reads, validates and completes an org file.
func Load(path string) (*File, error) {
	data, err := schemas.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read org file: %w", err)
	}
	return Parse(path, data)
}

// Parse validates data (named file in errors) against the org schema and
// the org file's reference rules, and fills in missing ids.
func Parse(file string, data []byte) (*File, error) {
	var doc yaml.Node
	dec, err := schemas.NewDecoder(data)
	if tc := (*schemas.TooComplexError)(nil); errors.As(err, &tc) {
		return nil, &Error{File: file, Problems: []Problem{{Line: tc.Line, Col: tc.Col, Message: tc.Error()}}}
	} else if err != nil {
		return nil, err
	}
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		pr := schemas.SyntaxProblem(data, err)
		return nil, &Error{File: file, Problems: []Problem{{Line: pr.Line, Col: pr.Col, Message: pr.Message}}}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: file, Problems: []Problem{{Line: 1, Col: 1, Message: "empty org file"}}}
	}
	oe := &Error{File: file, Problems: duplicateKeys(&doc)}
	problems, err := schemas.Validate("org", &doc)
	if err != nil {
		return nil, fmt.Errorf("org file %s: %w", file, err)
	}
	for _, p := range problems {
		msg := p.Message
		if strings.HasPrefix(p.Path, "divisions[") && strings.HasSuffix(p.Path, "].name") && strings.Contains(msg, "pattern") {
			msg = `"*" is no division name: it stands for all divisions in grants`
		}
		if strings.HasPrefix(p.Path, "roles[") && strings.Contains(p.Path, "].permissions[") && p.Kind == "pattern" {
			msg = fmt.Sprintf("%q is no permission: write domain:entity:action (each part may be *), e.g. %s", p.Value, genesys.PermQueueView)
		}
		if p.Path != "" && p.Key == "" {
			msg = p.Path + ": " + msg
		}
		oe.Problems = append(oe.Problems, Problem{Line: p.Line, Col: p.Col, Message: msg})
	}
	if len(oe.Problems) > 0 {
		return nil, oe.sorted()
	}
	var org File
	if err := doc.Decode(&org); err != nil {
		return nil, &Error{File: file, Problems: decodeProblems(err)}
	}
	c := &orgChecker{root: doc.Content[0], org: &org}
	c.fillIDs()
	c.check()
	if len(c.problems) > 0 {
		return nil, (&Error{File: file, Problems: c.problems}).sorted()
	}
	return &org, nil
}

// duplicateKeys reports each repeated key of every mapping at its own
// position (yaml.v3 would report only the first, without a column).
func duplicateKeys(doc *yaml.Node) []Problem {
	var out []Problem
	for _, d := range schemas.DuplicateKeys(doc) {
		out = append(out, Problem{Line: d.Key.Line, Col: d.Key.Column, Message: fmt.Sprintf("key %q is duplicated; first defined at line %d, column %d", d.Key.Value, d.First.Line, d.First.Column)})
	}
	return out
}

var yamlTypeLine = lazyre.New(`^line (\d+): (.*)$`)

// decodeProblems turns a decoding error into one problem per line it holds.
func decodeProblems(err error) []Problem {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []Problem{{Line: 1, Col: 1, Message: err.Error()}}
	}
	var out []Problem
	for _, msg := range te.Errors {
		p := Problem{Line: 1, Col: 1, Message: msg}
		if m := yamlTypeLine.FindStringSubmatch(msg); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Message = m[2]
		}
		out = append(out, p)
	}
	return out
}

func (e *Error) sorted() *Error {
	slices.SortStableFunc(e.Problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return e
}

// IsError reports whether err is an invalid org file.
func IsError(err error) bool {
	var oe *Error
	return errors.As(err, &oe)
}

// orgChecker checks references and uniqueness, reporting at YAML positions.
type orgChecker struct {
	root     *yaml.Node
	org      *File
	problems []Problem
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
		if o.Division(q.Division) == nil {
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
			if o.Role(rd.Role) == nil {
				c.report(c.at("oauthClients", i, "roleDivisions", j, "role"), fmt.Sprintf("OAuth client %q: no role %q%s", cl.Name, rd.Role, didYouMean(rd.Role, roles)))
			}
			if rd.Division != genesys.AllDivisions && o.Division(rd.Division) == nil {
				c.report(c.at("oauthClients", i, "roleDivisions", j, "division"), fmt.Sprintf("OAuth client %q: no division %q (use * for all divisions)%s", cl.Name, rd.Division, didYouMean(rd.Division, divisions)))
			}
		}
	}
	for i, a := range o.Agents {
		for j, q := range a.Queues {
			if o.Queue(q) == nil {
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
