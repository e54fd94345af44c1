package genesys

// JSON documents of the Genesys Cloud platform API, with the SDK's field
// names. Only the fields flowctl reads or the emulator writes are declared.

// EntityRef is a DomainEntityRef: {id, name, selfUri}.
type EntityRef struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	SelfURI string `json:"selfUri,omitempty"`
}

// NamedEntity is an entity's id and name, without selfUri (Namedentity:
// the organizations of a token).
type NamedEntity struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Queue is a routing queue (GET /api/v2/routing/queues).
type Queue struct {
	ID                string    `json:"id"`
	Name              string    `json:"name"`
	Division          EntityRef `json:"division"`
	Description       string    `json:"description,omitempty"`
	MemberCount       int       `json:"memberCount"`
	UserMemberCount   int       `json:"userMemberCount"`
	JoinedMemberCount int       `json:"joinedMemberCount"`
	SelfURI           string    `json:"selfUri,omitempty"`
}

// Division is an AuthzDivision.
type Division struct {
	ID           string         `json:"id"`
	Name         string         `json:"name"`
	Description  string         `json:"description,omitempty"`
	HomeDivision bool           `json:"homeDivision"`
	ObjectCounts map[string]int `json:"objectCounts,omitempty"`
	SelfURI      string         `json:"selfUri,omitempty"`
}

// TokenInfo is GET /api/v2/tokens/me (Tokeninfo). Note the capitalised
// "OAuthClient" key.
type TokenInfo struct {
	Organization     NamedEntity     `json:"organization"`
	HomeOrganization NamedEntity     `json:"homeOrganization"`
	AuthorizedScope  []string        `json:"authorizedScope,omitempty"`
	OAuthClient      *OrgOAuthClient `json:"OAuthClient,omitempty"`
}

// OrgOAuthClient is the client described by a token.
type OrgOAuthClient struct {
	ID                  string         `json:"id"`
	Name                string         `json:"name"`
	AuthorizedGrantType string         `json:"authorizedGrantType,omitempty"`
	RoleDivisions       []RoleDivision `json:"roleDivisions,omitempty"`
	State               string         `json:"state,omitempty"`
	Organization        *NamedEntity   `json:"organization,omitempty"`
}

// OAuthClient is GET /api/v2/oauth/clients/{id}. The secret is never read.
type OAuthClient struct {
	ID                         string         `json:"id"`
	Name                       string         `json:"name"`
	Description                string         `json:"description,omitempty"`
	AccessTokenValiditySeconds int            `json:"accessTokenValiditySeconds,omitempty"`
	AuthorizedGrantType        string         `json:"authorizedGrantType,omitempty"`
	RoleDivisions              []RoleDivision `json:"roleDivisions,omitempty"`
	State                      string         `json:"state,omitempty"`
	SelfURI                    string         `json:"selfUri,omitempty"`
}

// RoleDivision grants a role in a division ("*" = all divisions) to a
// client-credentials OAuth client.
type RoleDivision struct {
	RoleID     string `json:"roleId"`
	DivisionID string `json:"divisionId"`
}

// AuthzSubject is GET /api/v2/authorization/subjects/me.
type AuthzSubject struct {
	ID      string       `json:"id"`
	Name    string       `json:"name,omitempty"`
	Version int          `json:"version,omitempty"`
	SelfURI string       `json:"selfUri,omitempty"`
	Grants  []AuthzGrant `json:"grants"`
}

// AuthzGrant is one role granted in one division.
type AuthzGrant struct {
	SubjectID   string         `json:"subjectId,omitempty"`
	Division    Division       `json:"division"`
	Role        AuthzGrantRole `json:"role"`
	GrantMadeAt string         `json:"grantMadeAt,omitempty"`
}

// AuthzGrantRole is the role of a grant, described by policies.
type AuthzGrantRole struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	Description string        `json:"description,omitempty"`
	Policies    []AuthzPolicy `json:"policies"`
	Default     bool          `json:"default"`
	SelfURI     string        `json:"selfUri,omitempty"`
}

// AuthzPolicy grants actions on an entity of a domain; "*" is a wildcard.
type AuthzPolicy struct {
	Domain     string   `json:"domain"`
	EntityName string   `json:"entityName"`
	Actions    []string `json:"actions"`
	Condition  string   `json:"condition,omitempty"`
}

// Role is a DomainOrganizationRole (GET /api/v2/authorization/roles/{id}).
type Role struct {
	ID                 string             `json:"id"`
	Name               string             `json:"name"`
	Description        string             `json:"description,omitempty"`
	Permissions        []string           `json:"permissions"`
	PermissionPolicies []PermissionPolicy `json:"permissionPolicies,omitempty"`
	Default            bool               `json:"default"`
	SelfURI            string             `json:"selfUri,omitempty"`
}

// PermissionPolicy is one entry of Role.PermissionPolicies.
type PermissionPolicy struct {
	Domain     string   `json:"domain"`
	EntityName string   `json:"entityName"`
	PolicyName string   `json:"policyName,omitempty"`
	ActionSet  []string `json:"actionSet"`
}

// Page is the paged list envelope (QueueEntityListing and friends).
type Page[T any] struct {
	Entities    []T    `json:"entities"`
	PageSize    int    `json:"pageSize"`
	PageNumber  int    `json:"pageNumber"`
	Total       int    `json:"total"`
	PageCount   int    `json:"pageCount"`
	FirstURI    string `json:"firstUri,omitempty"`
	NextURI     string `json:"nextUri,omitempty"`
	PreviousURI string `json:"previousUri,omitempty"`
	LastURI     string `json:"lastUri,omitempty"`
	SelfURI     string `json:"selfUri,omitempty"`
}

// TokenResponse is the OAuth token document.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
}
