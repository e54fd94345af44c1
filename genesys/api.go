package genesys

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// Page sizes used for listings.
const (
	queuePageSize       = 500 // routing/queues and divisionviews/all (500 works)
	divisionViewMaxSize = 100 // divisionviews: pageSize max 100, pageNumber max 5
	divisionPageSize    = 100
	maxPages            = 1000 // a guard against a server that never ends
)

// listAll fetches every page of a paged listing: pageNumber runs from 1 to
// the pageCount of the answers or, when an answer has no pageCount, while
// it has a nextUri or fewer entities than its total have arrived (at most
// limit pages when limit > 0).
func listAll[T any](ctx context.Context, c *Client, path string, query url.Values, pageSize, limit int) ([]T, error) {
	var all []T
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("pageSize", strconv.Itoa(pageSize))
	for n := 1; ; n++ {
		q.Set("pageNumber", strconv.Itoa(n))
		var p Page[T]
		if err := c.get(ctx, path, q, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Entities...)
		more := p.NextURI != "" || len(all) < p.Total
		if p.PageCount > 0 {
			more = n < p.PageCount
		}
		if !more || len(p.Entities) == 0 || (limit > 0 && n >= limit) {
			return all, nil
		}
		if n >= maxPages {
			return nil, fmt.Errorf("GET %s: more than %d pages", path, maxPages)
		}
	}
}

// TokenInfo returns GET /api/v2/tokens/me: the organisation and the OAuth
// client of the token.
func (c *Client) TokenInfo(ctx context.Context) (*TokenInfo, error) {
	return getOne[TokenInfo](ctx, c, "/api/v2/tokens/me", nil)
}

// SubjectMe returns GET /api/v2/authorization/subjects/me: the caller's
// role grants by division.
func (c *Client) SubjectMe(ctx context.Context) (*AuthzSubject, error) {
	return getOne[AuthzSubject](ctx, c, "/api/v2/authorization/subjects/me", nil)
}

// OAuthClient returns GET /api/v2/oauth/clients/{id} (needs
// oauth:client:view).
func (c *Client) OAuthClient(ctx context.Context, id string) (*OAuthClient, error) {
	return getOne[OAuthClient](ctx, c, "/api/v2/oauth/clients/"+url.PathEscape(id), nil)
}

// Role returns GET /api/v2/authorization/roles/{id} (needs
// authorization:role:view).
func (c *Client) Role(ctx context.Context, id string) (*Role, error) {
	return getOne[Role](ctx, c, "/api/v2/authorization/roles/"+url.PathEscape(id), url.Values{"userCount": {"false"}})
}

// Divisions lists every division of the organisation.
func (c *Client) Divisions(ctx context.Context) ([]Division, error) {
	return listAll[Division](ctx, c, "/api/v2/authorization/divisions", nil, divisionPageSize, 0)
}

// Queues lists every queue visible to the caller (in divisions where it
// holds routing:queue:view).
func (c *Client) Queues(ctx context.Context) ([]Queue, error) {
	return listAll[Queue](ctx, c, "/api/v2/routing/queues", nil, queuePageSize, 0)
}

// SearchQueues returns queues of any division whose name matches name
// (GET /api/v2/routing/queues/divisionviews, needs routing:queue:search).
// The server's name match may be loose; callers compare names themselves.
func (c *Client) SearchQueues(ctx context.Context, name string) ([]Queue, error) {
	q := url.Values{"name": {name}}
	return listAll[Queue](ctx, c, "/api/v2/routing/queues/divisionviews", q, divisionViewMaxSize, 5)
}

// AllQueues lists the queues of every division
// (GET /api/v2/routing/queues/divisionviews/all, needs routing:queue:search).
func (c *Client) AllQueues(ctx context.Context) ([]Queue, error) {
	return listAll[Queue](ctx, c, "/api/v2/routing/queues/divisionviews/all", nil, queuePageSize, 0)
}
