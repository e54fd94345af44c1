package genesys

import (
	"cmp"
	"errors"
	"fmt"
	"os"
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
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read org file: %w", err)
	}
	return ParseOrg(path, data)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// ParseOrg validates data (named file in errors) against the org schema and
// the org file's reference rules, and fills in missing ids.
func ParseOrg(file string, data []byte) (*Org, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p := OrgProblem{Line: 1, Col: 1, Message: strings.TrimPrefix(err.Error(), "yaml: ")}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Message = m[2]
		}
		return nil, &OrgError{File: file, Problems: []OrgProblem{p}}
	}
	if len(doc.Content) == 0 {
		return nil, &OrgError{File: file, Problems: []OrgProblem{{Line: 1, Col: 1, Message: "empty org file"}}}
	}
	problems, err := schemas.Validate("org", &doc)
	if err != nil {
		return nil, fmt.Errorf("org file %s: %w", file, err)
	}
	if len(problems) > 0 {
		oe := &OrgError{File: file}
		for _, p := range problems {
			msg := p.Message
			if p.Path != "" && p.Key == "" {
				msg = p.Path + ": " + msg
			}
			oe.Problems = append(oe.Problems, OrgProblem{Line: p.Line, Col: p.Col, Message: msg})
		}
		return nil, oe.sorted()
	}
	var org Org
	if err := doc.Decode(&org); err != nil {
		return nil, &OrgError{File: file, Problems: []OrgProblem{{Line: 1, Col: 1, Message: err.Error()}}}
	}
	c := &orgChecker{root: doc.Content[0], org: &org}
	c.fillIDs()
	c.check()
	if len(c.problems) > 0 {
		return nil, (&OrgError{File: file, Problems: c.problems}).sorted()
	}
	return &org, nil
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

func (c *orgChecker) fillIDs() {
	o := c.org
	if o.Organization.ID == "" {
		o.Organization.ID = StableID("organization", o.Organization.Name)
	}
	for i := range o.Divisions {
		if o.Divisions[i].ID == "" {
			o.Divisions[i].ID = StableID("division", o.Divisions[i].Name)
		}
	}
	for i := range o.Queues {
		if o.Queues[i].ID == "" {
			o.Queues[i].ID = StableID("queue", o.Queues[i].Name)
		}
	}
	for i := range o.Roles {
		if o.Roles[i].ID == "" {
			o.Roles[i].ID = StableID("role", o.Roles[i].Name)
		}
	}
	for i := range o.OAuthClients {
		if o.OAuthClients[i].ID == "" {
			o.OAuthClients[i].ID = StableID("oauthClient", o.OAuthClients[i].Name)
		}
	}
	for i := range o.Integrations {
		if o.Integrations[i].ID == "" {
			o.Integrations[i].ID = StableID("integration", o.Integrations[i].Name)
		}
	}
	for i := range o.Agents {
		if o.Agents[i].ID == "" {
			o.Agents[i].ID = StableID("agent", o.Agents[i].Name)
		}
	}
}

func (c *orgChecker) check() {
	o := c.org
	c.unique("divisions", "division", len(o.Divisions), func(i int) (string, string) { return o.Divisions[i].Name, o.Divisions[i].ID })
	c.unique("queues", "queue", len(o.Queues), func(i int) (string, string) { return o.Queues[i].Name, o.Queues[i].ID })
	c.unique("roles", "role", len(o.Roles), func(i int) (string, string) { return o.Roles[i].Name, o.Roles[i].ID })
	c.unique("oauthClients", "OAuth client", len(o.OAuthClients), func(i int) (string, string) { return o.OAuthClients[i].Name, o.OAuthClients[i].ID })
	c.unique("integrations", "integration", len(o.Integrations), func(i int) (string, string) { return o.Integrations[i].Name, o.Integrations[i].ID })
	c.unique("agents", "agent", len(o.Agents), func(i int) (string, string) { return o.Agents[i].Name, o.Agents[i].ID })

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

// unique reports a second entity of one kind with the same name or id.
func (c *orgChecker) unique(key, kind string, n int, get func(int) (name, id string)) {
	names, ids := map[string]bool{}, map[string]bool{}
	for i := 0; i < n; i++ {
		name, id := get(i)
		if names[name] {
			c.report(c.at(key, i, "name"), fmt.Sprintf("duplicate %s name %q", kind, name))
		}
		if ids[id] && !names[name] {
			c.report(c.at(key, i, "id"), fmt.Sprintf("duplicate %s id %q", kind, id))
		}
		names[name], ids[id] = true, true
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
