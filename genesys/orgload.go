package genesys

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/schemas"
	"gopkg.in/yaml.v3"
)

// OrgProblem is one error in an org file, at a 1-based line and column.
type OrgProblem struct {
	Line, Col int
	Message   string
}

// OrgError lists every problem of an invalid org file.
type OrgError struct {
	File     string
	Problems []OrgProblem // sorted by position
}

func (e *OrgError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid org file %s:", e.File)
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  %s:%d:%d: %s", e.File, p.Line, p.Col, p.Message)
	}
	return b.String()
}

// LoadOrg reads, validates and completes an org file.
func LoadOrg(path string) (*Org, error) {
	data, err := schemas.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read org file: %w", err)
	}
	return ParseOrg(path, data)
}

// ParseOrg validates data (named file in errors) against the org schema and
// the org file's reference rules, and fills in missing ids.
func ParseOrg(file string, data []byte) (*Org, error) {
	var doc yaml.Node
	dec, err := schemas.NewDecoder(data)
	if tc := (*schemas.TooComplexError)(nil); errors.As(err, &tc) {
		return nil, &OrgError{File: file, Problems: []OrgProblem{{Line: tc.Line, Col: tc.Col, Message: tc.Error()}}}
	} else if err != nil {
		return nil, err
	}
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		pr := schemas.SyntaxProblem(data, err)
		return nil, &OrgError{File: file, Problems: []OrgProblem{{Line: pr.Line, Col: pr.Col, Message: pr.Message}}}
	}
	if len(doc.Content) == 0 {
		return nil, &OrgError{File: file, Problems: []OrgProblem{{Line: 1, Col: 1, Message: "empty org file"}}}
	}
	oe := &OrgError{File: file, Problems: duplicateKeys(&doc)}
	problems, err := schemas.Validate("org", &doc)
	if err != nil {
		return nil, fmt.Errorf("org file %s: %w", file, err)
	}
	for _, p := range problems {
		msg := p.Message
		if strings.HasPrefix(p.Path, "divisions[") && strings.HasSuffix(p.Path, "].name") && strings.Contains(msg, "pattern") {
			msg = `"*" is no division name: it stands for all divisions in grants`
		}
		if p.Path != "" && p.Key == "" {
			msg = p.Path + ": " + msg
		}
		oe.Problems = append(oe.Problems, OrgProblem{Line: p.Line, Col: p.Col, Message: msg})
	}
	if len(oe.Problems) > 0 {
		return nil, oe.sorted()
	}
	var org Org
	if err := doc.Decode(&org); err != nil {
		return nil, &OrgError{File: file, Problems: decodeProblems(err)}
	}
	c := &orgChecker{root: doc.Content[0], org: &org}
	c.fillIDs()
	c.check()
	if len(c.problems) > 0 {
		return nil, (&OrgError{File: file, Problems: c.problems}).sorted()
	}
	return &org, nil
}

// duplicateKeys reports each repeated key of every mapping at its own
// position (yaml.v3 would report only the first, without a column).
func duplicateKeys(doc *yaml.Node) []OrgProblem {
	var out []OrgProblem
	for _, d := range schemas.DuplicateKeys(doc) {
		out = append(out, OrgProblem{Line: d.Key.Line, Col: d.Key.Column, Message: fmt.Sprintf("key %q is duplicated; first defined at line %d, column %d", d.Key.Value, d.First.Line, d.First.Column)})
	}
	return out
}

var yamlTypeLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// decodeProblems turns a decoding error into one problem per line it holds.
func decodeProblems(err error) []OrgProblem {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []OrgProblem{{Line: 1, Col: 1, Message: err.Error()}}
	}
	var out []OrgProblem
	for _, msg := range te.Errors {
		p := OrgProblem{Line: 1, Col: 1, Message: msg}
		if m := yamlTypeLine.FindStringSubmatch(msg); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Message = m[2]
		}
		out = append(out, p)
	}
	return out
}

func (e *OrgError) sorted() *OrgError {
	slices.SortStableFunc(e.Problems, func(a, b OrgProblem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return e
}

// IsOrgError reports whether err is an invalid org file.
func IsOrgError(err error) bool {
	var oe *OrgError
	return errors.As(err, &oe)
}

// orgChecker checks references and uniqueness, reporting at YAML positions.
type orgChecker struct {
	root     *yaml.Node
	org      *Org
	problems []OrgProblem
}

// named is an org file entity with a name and an id (derived from the name
// when left out).
type named[T any] interface {
	*T
	ident() (name string, id *string)
}

func (d *OrgDivision) ident() (string, *string)    { return d.Name, &d.ID }
func (q *OrgQueue) ident() (string, *string)       { return q.Name, &q.ID }
func (r *OrgRole) ident() (string, *string)        { return r.Name, &r.ID }
func (c *OrgClient) ident() (string, *string)      { return c.Name, &c.ID }
func (i *OrgIntegration) ident() (string, *string) { return i.Name, &i.ID }
func (a *OrgAgent) ident() (string, *string)       { return a.Name, &a.ID }

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
	for i, q := range o.Queues {
		if o.Division(q.Division) == nil {
			c.report(c.at("queues", i, "division"), fmt.Sprintf("queue %q: no division %q", q.Name, q.Division))
		}
	}
	for i, cl := range o.OAuthClients {
		for j, rd := range cl.RoleDivisions {
			if o.Role(rd.Role) == nil {
				c.report(c.at("oauthClients", i, "roleDivisions", j, "role"), fmt.Sprintf("OAuth client %q: no role %q", cl.Name, rd.Role))
			}
			if rd.Division != AllDivisions && o.Division(rd.Division) == nil {
				c.report(c.at("oauthClients", i, "roleDivisions", j, "division"), fmt.Sprintf("OAuth client %q: no division %q (use * for all divisions)", cl.Name, rd.Division))
			}
		}
	}
	for i, a := range o.Agents {
		for j, q := range a.Queues {
			if o.Queue(q) == nil {
				c.report(c.at("agents", i, "queues", j), fmt.Sprintf("agent %q: no queue %q", a.Name, q))
			}
		}
	}
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
	c.problems = append(c.problems, OrgProblem{Line: n.Line, Col: n.Column, Message: msg})
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
