package org

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/internal/words"
)

// File is an org file (spec §4): a Genesys Cloud organisation as flowctl sees
// it. After Load every entity has an id, and every reference (a queue's
// division, a grant's role and division, an agent's queues) names an entity
// that exists.
type File struct {
	Organization Info          `yaml:"organization"`
	Divisions    []Division    `yaml:"divisions"`
	Queues       []Queue       `yaml:"queues"`
	Roles        []Role        `yaml:"roles"`
	OAuthClients []Client      `yaml:"oauthClients"`
	Integrations []Integration `yaml:"integrations,omitempty"`
	Agents       []Agent       `yaml:"agents,omitempty"`
	// QueueCoverage says which queues the file lists: QueueCoverageAll
	// (default, "") or QueueCoverageVisible, what org export writes when
	// the client could not list the queues of every division.
	QueueCoverage string `yaml:"queueCoverage,omitempty"`
}

// Values of File.QueueCoverage.
const (
	QueueCoverageAll     = "all"
	QueueCoverageVisible = "visible"
)

// Info names the organisation.
type Info struct {
	Name string `yaml:"name"`
	ID   string `yaml:"id,omitempty"`
}

// Division is a division; Home marks the home division.
type Division struct {
	Name        string `yaml:"name"`
	ID          string `yaml:"id,omitempty"`
	Home        bool   `yaml:"home,omitempty"`
	Description string `yaml:"description,omitempty"`
}

// Queue is a routing queue in a division (name or id).
type Queue struct {
	Name        string `yaml:"name"`
	ID          string `yaml:"id,omitempty"`
	Division    string `yaml:"division"`
	Description string `yaml:"description,omitempty"`
}

// Role is a role and its permissions (domain:entity:action, "*" allowed).
type Role struct {
	Name        string   `yaml:"name"`
	ID          string   `yaml:"id,omitempty"`
	Description string   `yaml:"description,omitempty"`
	Permissions []string `yaml:"permissions"`
}

// Client states.
const (
	ClientActive   = "active"
	ClientDisabled = "disabled"
)

// Client is an OAuth client-credentials client with its role grants.
// Secret is for the emulator only and is never exported.
type Client struct {
	Name          string         `yaml:"name"`
	ID            string         `yaml:"id,omitempty"`
	Secret        string         `yaml:"secret,omitempty"`
	State         string         `yaml:"state,omitempty"`
	RoleDivisions []RoleDivision `yaml:"roleDivisions,omitempty"`
}

// Active reports whether the client may authenticate.
func (c *Client) Active() bool { return c.State == "" || c.State == ClientActive }

// RoleDivision grants a role (name or id) in a division (name, id, or "*"
// for all divisions).
type RoleDivision struct {
	Role     string `yaml:"role"`
	Division string `yaml:"division"`
}

// Integration is an Open Messaging integration (emulator).
type Integration struct {
	Name          string `yaml:"name"`
	ID            string `yaml:"id,omitempty"`
	WebhookURL    string `yaml:"webhookUrl,omitempty"`
	WebhookSecret string `yaml:"webhookSecret,omitempty"`
}

// Agent is an agent of the emulator's desk, member of queues (names or ids).
type Agent struct {
	Name   string   `yaml:"name"`
	ID     string   `yaml:"id,omitempty"`
	Queues []string `yaml:"queues,omitempty"`
}

// StableID derives a UUID-shaped id from an entity kind and name, so an org
// file without ids gets the same ids on every load.
func StableID(kind, name string) string {
	h := sha256.Sum256([]byte("flowctl\x00" + kind + "\x00" + name))
	b := h[:16]
	b[6] = b[6]&0x0f | 0x80 // version 8: custom
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Division returns the division with that name or id, or nil.
func (o *File) Division(ref string) *Division {
	for i := range o.Divisions {
		if d := &o.Divisions[i]; d.Name == ref || d.ID == ref {
			return d
		}
	}
	return nil
}

// HomeDivision returns the home division: the one marked home, else the
// one named "Home", else the first.
func (o *File) HomeDivision() *Division {
	for i := range o.Divisions {
		if o.Divisions[i].Home {
			return &o.Divisions[i]
		}
	}
	if d := o.Division("Home"); d != nil {
		return d
	}
	if len(o.Divisions) > 0 {
		return &o.Divisions[0]
	}
	return nil
}

// Role returns the role with that name or id, or nil.
func (o *File) Role(ref string) *Role {
	for i := range o.Roles {
		if r := &o.Roles[i]; r.Name == ref || r.ID == ref {
			return r
		}
	}
	return nil
}

// Queue returns the queue with that name or id, or nil.
func (o *File) Queue(ref string) *Queue {
	for i := range o.Queues {
		if q := &o.Queues[i]; q.Name == ref || q.ID == ref {
			return q
		}
	}
	return nil
}

// ClientChoiceError says which OAuth client of an org file to use is unclear:
// none matches --client, or several exist and none was chosen.
type ClientChoiceError struct {
	Want  string   // the --client value ("" when none was given)
	Names []string // the clients the org file has
}

func (e *ClientChoiceError) Error() string {
	if e.Want == "" {
		return fmt.Sprintf("the org file has %d OAuth clients (%s): choose one with --client NAME|ID", len(e.Names), strings.Join(words.Quote(e.Names), ", "))
	}
	if len(e.Names) == 0 {
		return fmt.Sprintf("no OAuth client %q: the org file has none", e.Want)
	}
	return fmt.Sprintf("no OAuth client %q in the org file (have %s)", e.Want, strings.Join(words.Quote(e.Names), ", "))
}

// Client picks the OAuth client named or identified by want, or the only
// client when want is empty.
func (o *File) Client(want string) (*Client, error) {
	var names []string
	for i := range o.OAuthClients {
		c := &o.OAuthClients[i]
		if want != "" && (c.Name == want || c.ID == want) {
			return c, nil
		}
		names = append(names, c.Name)
	}
	if want == "" && len(o.OAuthClients) == 1 {
		return &o.OAuthClients[0], nil
	}
	return nil, &ClientChoiceError{Want: want, Names: names}
}

// ClientPermissions returns the permissions c holds in each division id
// ("*" for grants over all divisions).
func (o *File) ClientPermissions(c *Client) map[string][]string {
	out := map[string][]string{}
	for _, rd := range c.RoleDivisions {
		r := o.Role(rd.Role)
		if r == nil {
			continue
		}
		div := genesys.AllDivisions
		if rd.Division != genesys.AllDivisions {
			if d := o.Division(rd.Division); d != nil {
				div = d.ID
			} else {
				continue
			}
		}
		out[div] = append(out[div], r.Permissions...)
	}
	return out
}

// ClientCan reports whether c holds perm in the division with id divID (any
// division when divID is "").
func (o *File) ClientCan(c *Client, perm, divID string) bool {
	for div, perms := range o.ClientPermissions(c) {
		if (divID == "" || div == genesys.AllDivisions || div == divID) && genesys.HasPermission(perms, perm) {
			return true
		}
	}
	return false
}

// sortedUnique returns s sorted without duplicates.
func sortedUnique(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}
