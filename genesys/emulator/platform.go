package emulator

import (
	"cmp"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
)

// platformRoutes are the OAuth and platform API endpoints flowctl's client
// uses. More specific patterns come first.
var platformRoutes = []route{
	{method: http.MethodPost, pattern: "/oauth/token", handle: (*Server).oauthToken},
	{method: http.MethodGet, pattern: "/api/v2/tokens/me", auth: true, handle: (*Server).tokensMe},
	{method: http.MethodGet, pattern: "/api/v2/authorization/subjects/me", auth: true, handle: (*Server).subjectsMe},
	{method: http.MethodGet, pattern: "/api/v2/oauth/clients/{clientId}", auth: true, handle: (*Server).oauthClient},
	{method: http.MethodGet, pattern: "/api/v2/authorization/roles/{roleId}", auth: true, handle: (*Server).role},
	{method: http.MethodGet, pattern: "/api/v2/authorization/divisions", auth: true, handle: (*Server).divisions},
	{method: http.MethodGet, pattern: "/api/v2/authorization/divisions/home", auth: true, handle: (*Server).homeDivision},
	{method: http.MethodGet, pattern: "/api/v2/authorization/divisions/{divisionId}", auth: true, handle: (*Server).division},
	{method: http.MethodGet, pattern: "/api/v2/routing/queues", auth: true, handle: (*Server).queues},
	{method: http.MethodGet, pattern: "/api/v2/routing/queues/divisionviews", auth: true, handle: (*Server).divisionViews},
	{method: http.MethodGet, pattern: "/api/v2/routing/queues/divisionviews/all", auth: true, handle: (*Server).divisionViewsAll},
	{method: http.MethodGet, pattern: "/api/v2/routing/queues/{queueId}", auth: true, handle: (*Server).queue},
}

// oauthToken is POST /oauth/token (client credentials, Basic auth). An
// unknown client id gets 400 invalid_client "client not found"; a wrong
// secret 401 invalid_client (genesys-api.md §0.7); a disabled client 401
// with its own description.
func (e *Server) oauthToken(w http.ResponseWriter, r *http.Request, _ *call) {
	fail := func(status int, code, desc string) {
		writeJSON(w, status, genesys.OAuthError{Error: code, Description: desc, ErrorDescription: desc})
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		fail(http.StatusBadRequest, "unsupported_grant_type", "grant_type must be client_credentials")
		return
	}
	id, secret, ok := basicCredentials(r)
	if !ok {
		fail(http.StatusUnauthorized, "invalid_client", "authentication failed")
		return
	}
	var cl *org.Client
	known := false
	for i := range e.org.OAuthClients {
		if c := &e.org.OAuthClients[i]; c.ID == id {
			known = true
			if c.Secret != "" && c.Secret == secret {
				cl = c
			}
		}
	}
	switch {
	case !known:
		writeJSON(w, http.StatusBadRequest, genesys.OAuthError{Error: "invalid_client", Description: "client not found"})
		return
	case cl == nil:
		fail(http.StatusUnauthorized, "invalid_client", "authentication failed")
		return
	case !cl.Active():
		fail(http.StatusUnauthorized, "invalid_client", "client is "+cl.State)
		return
	}
	tok := strings.ReplaceAll(genesys.NewID(), "-", "") + strings.ReplaceAll(genesys.NewID(), "-", "")
	now := e.opts.Now()
	e.mu.Lock()
	for t, et := range e.tokens {
		if !now.Before(et.expires) {
			delete(e.tokens, t) // expired: a long-running emulator must not grow
		}
	}
	e.tokens[tok] = emuToken{clientID: cl.ID, expires: now.Add(e.opts.TokenTTL)}
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, genesys.TokenResponse{AccessToken: tok, TokenType: "bearer", ExpiresIn: int(e.opts.TokenTTL.Seconds()) - 1})
}

func basicCredentials(r *http.Request) (id, secret string, ok bool) {
	h := r.Header.Get("Authorization")
	if len(h) < 6 || !strings.EqualFold(h[:6], "basic ") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[6:]))
	if err != nil {
		return "", "", false
	}
	id, secret, ok = strings.Cut(string(raw), ":")
	return id, secret, ok
}

func (e *Server) orgRef() genesys.EntityRef {
	return genesys.EntityRef{ID: e.org.Organization.ID, Name: e.org.Organization.Name, SelfURI: "/api/v2/organizations/" + e.org.Organization.ID}
}

func (e *Server) tokensMe(w http.ResponseWriter, _ *http.Request, c *call) {
	org := e.orgRef()
	oc := &genesys.OrgOAuthClient{ID: c.client.ID, Name: c.client.Name, AuthorizedGrantType: "CLIENT-CREDENTIALS", State: "active", Organization: &genesys.EntityRef{ID: org.ID, Name: org.Name}}
	if e.opts.TokenRoleDivisions {
		oc.RoleDivisions = e.roleDivisions(c.client)
	}
	writeJSON(w, http.StatusOK, genesys.TokenInfo{Organization: org, HomeOrganization: org, OAuthClient: oc})
}

func (e *Server) roleDivisions(cl *org.Client) []genesys.RoleDivision {
	var out []genesys.RoleDivision
	for _, rd := range cl.RoleDivisions {
		div := genesys.AllDivisions
		if rd.Division != genesys.AllDivisions {
			div = e.org.Division(rd.Division).ID
		}
		out = append(out, genesys.RoleDivision{RoleID: e.org.Role(rd.Role).ID, DivisionID: div})
	}
	return out
}

func (e *Server) subjectsMe(w http.ResponseWriter, _ *http.Request, c *call) {
	switch e.opts.SubjectsMe {
	case "grants":
	case "empty":
		writeJSON(w, http.StatusOK, genesys.AuthzSubject{ID: c.client.ID, Name: c.client.Name, Grants: []genesys.AuthzGrant{}})
		return
	default:
		writeError(w, http.StatusBadRequest, "bad.request", "This request requires a user context. Client credentials cannot be used for requests to this resource.")
		return
	}
	subj := genesys.AuthzSubject{ID: c.client.ID, Name: c.client.Name, Version: 1, SelfURI: "/api/v2/authorization/subjects/" + c.client.ID, Grants: []genesys.AuthzGrant{}}
	for _, rd := range c.client.RoleDivisions {
		r := e.org.Role(rd.Role)
		div := genesys.Division{ID: genesys.AllDivisions, Name: genesys.AllDivisions, SelfURI: "/api/v2/authorization/divisions/*"}
		if rd.Division != genesys.AllDivisions {
			div = e.divisionJSON(e.org.Division(rd.Division))
		}
		subj.Grants = append(subj.Grants, genesys.AuthzGrant{
			SubjectID: c.client.ID,
			Division:  div,
			Role:      genesys.AuthzGrantRole{ID: r.ID, Name: r.Name, Description: r.Description, Policies: policiesOf(r.Permissions), SelfURI: "/api/v2/authorization/roles/" + r.ID},
		})
	}
	writeJSON(w, http.StatusOK, subj)
}

// policiesOf groups permission strings into policies by domain and entity.
func policiesOf(perms []string) []genesys.AuthzPolicy {
	var out []genesys.AuthzPolicy
	idx := map[string]int{}
	for _, p := range perms {
		parts := genesys.SplitPermission(p)
		key := parts[0] + ":" + parts[1]
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, genesys.AuthzPolicy{Domain: parts[0], EntityName: parts[1]})
		}
		out[i].Actions = append(out[i].Actions, parts[2])
	}
	return out
}

func (e *Server) oauthClient(w http.ResponseWriter, _ *http.Request, c *call) {
	if !e.require(w, c, genesys.PermClientView) {
		return
	}
	for i := range e.org.OAuthClients {
		cl := &e.org.OAuthClients[i]
		if cl.ID == c.params["clientId"] {
			state := cl.State
			if state == "" {
				state = org.ClientActive
			}
			writeJSON(w, http.StatusOK, genesys.OAuthClient{
				ID: cl.ID, Name: cl.Name, AuthorizedGrantType: "CLIENT-CREDENTIALS",
				AccessTokenValiditySeconds: int(e.opts.TokenTTL.Seconds()),
				RoleDivisions:              e.roleDivisions(cl), State: state,
				SelfURI: "/api/v2/oauth/clients/" + cl.ID,
			})
			return
		}
	}
	writeError(w, http.StatusNotFound, "not.found", "The requested resource was not found.")
}

func (e *Server) role(w http.ResponseWriter, _ *http.Request, c *call) {
	if !e.require(w, c, genesys.PermRoleView) {
		return
	}
	for _, r := range e.org.Roles {
		if r.ID == c.params["roleId"] {
			var pp []genesys.PermissionPolicy
			for _, p := range policiesOf(r.Permissions) {
				pp = append(pp, genesys.PermissionPolicy{Domain: p.Domain, EntityName: p.EntityName, PolicyName: p.Domain + ":" + p.EntityName, ActionSet: p.Actions})
			}
			writeJSON(w, http.StatusOK, genesys.Role{ID: r.ID, Name: r.Name, Description: r.Description, Permissions: r.Permissions, PermissionPolicies: pp, SelfURI: "/api/v2/authorization/roles/" + r.ID})
			return
		}
	}
	writeError(w, http.StatusNotFound, "not.found", "The requested resource was not found.")
}

func (e *Server) divisionJSON(d *org.Division) genesys.Division {
	desc := d.Description
	if desc == "" && d == e.org.HomeDivision() {
		desc = "Default Division"
	}
	return genesys.Division{ID: d.ID, Name: d.Name, Description: desc, HomeDivision: d == e.org.HomeDivision(), SelfURI: "/api/v2/authorization/divisions/" + d.ID}
}

func (e *Server) divisions(w http.ResponseWriter, r *http.Request, c *call) {
	ids := multiParam(c.query, "id")
	name := c.query["name"]
	var all []genesys.Division
	for i := range e.org.Divisions {
		d := &e.org.Divisions[i]
		if len(ids) > 0 && !slices.Contains(ids, d.ID) {
			continue
		}
		if len(name) > 0 && name[0] != "" && !nameMatches(name[0], d.Name, false) {
			continue
		}
		all = append(all, e.divisionJSON(d))
	}
	slices.SortFunc(all, func(a, b genesys.Division) int { return cmp.Compare(a.Name, b.Name) })
	writePage(e, w, r, c, all, 25, 500, 0)
}

func (e *Server) homeDivision(w http.ResponseWriter, _ *http.Request, _ *call) {
	writeJSON(w, http.StatusOK, e.divisionJSON(e.org.HomeDivision()))
}

func (e *Server) division(w http.ResponseWriter, _ *http.Request, c *call) {
	for i := range e.org.Divisions {
		if d := &e.org.Divisions[i]; d.ID == c.params["divisionId"] {
			writeJSON(w, http.StatusOK, e.divisionJSON(d))
			return
		}
	}
	writeError(w, http.StatusNotFound, "not.found", "The requested resource was not found.")
}
