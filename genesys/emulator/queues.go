package emulator

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
)

// queueJSON is the queue entity; simplified views carry fewer fields.
func (e *Server) queueJSON(q *org.Queue, simplified bool) genesys.Queue {
	d := e.org.Division(q.Division)
	out := genesys.Queue{
		ID: q.ID, Name: q.Name,
		Division: genesys.EntityRef{ID: d.ID, Name: d.Name, SelfURI: "/api/v2/authorization/divisions/" + d.ID},
		SelfURI:  "/api/v2/routing/queues/" + q.ID,
	}
	if !simplified {
		out.Description = q.Description
		for _, a := range e.org.Agents {
			if slices.Contains(a.Queues, q.Name) || slices.Contains(a.Queues, q.ID) {
				out.MemberCount++
			}
		}
		out.UserMemberCount = out.MemberCount
	}
	return out
}

// filterQueues applies the name, id and divisionId filters; visibleOnly keeps
// the queues the client can see.
func (e *Server) filterQueues(c *call, visibleOnly, simplified bool) []genesys.Queue {
	ids := multiParam(c.query, "id")
	divs := multiParam(c.query, "divisionId")
	name := c.query.Get("name")
	viewable := map[string]bool{} // division id -> routing:queue:view held
	for i := range e.org.Divisions {
		d := &e.org.Divisions[i]
		viewable[d.ID] = e.org.ClientCan(c.client, genesys.PermQueueView, d.ID)
	}
	var out []genesys.Queue
	for i := range e.org.Queues {
		q := &e.org.Queues[i]
		d := e.org.Division(q.Division)
		if visibleOnly && !viewable[d.ID] {
			continue
		}
		if len(ids) > 0 && !slices.Contains(ids, q.ID) {
			continue
		}
		if len(divs) > 0 && !slices.Contains(divs, d.ID) {
			continue
		}
		if name != "" && !nameMatches(name, q.Name, e.opts.QueueNameCaseSensitive) {
			continue
		}
		out = append(out, e.queueJSON(q, simplified))
	}
	desc := strings.EqualFold(c.query.Get("sortOrder"), "desc")
	slices.SortFunc(out, func(a, b genesys.Queue) int {
		var r int
		switch c.query.Get("sortBy") {
		case "id":
			r = cmp.Compare(a.ID, b.ID)
		case "divisionId":
			r = cmp.Or(cmp.Compare(a.Division.ID, b.Division.ID), cmp.Compare(a.Name, b.Name))
		default:
			r = cmp.Compare(a.Name, b.Name)
		}
		if desc {
			r = -r
		}
		return r
	})
	return out
}

func (e *Server) queues(w http.ResponseWriter, r *http.Request, c *call) {
	if !e.require(w, c, genesys.PermQueueView) {
		return
	}
	writePage(e, w, r, c, e.filterQueues(c, true, false), 25, 500, 0)
}

func (e *Server) divisionViews(w http.ResponseWriter, r *http.Request, c *call) {
	if !e.require(w, c, genesys.PermQueueSearch) {
		return
	}
	writePage(e, w, r, c, e.filterQueues(c, false, true), 25, 100, 5)
}

func (e *Server) divisionViewsAll(w http.ResponseWriter, r *http.Request, c *call) {
	if !e.require(w, c, genesys.PermQueueSearch) {
		return
	}
	c.query.Del("name")
	c.query.Del("id")
	c.query.Del("divisionId")
	writePage(e, w, r, c, e.filterQueues(c, false, true), 25, 500, 0)
}

// queue is GET /routing/queues/{id}: a hidden queue gets the configured
// status (403 not.authorized by default, or 404 not.found).
func (e *Server) queue(w http.ResponseWriter, _ *http.Request, c *call) {
	q := e.org.Queue(c.params["queueId"])
	if q == nil || q.ID != c.params["queueId"] {
		writeError(w, http.StatusNotFound, "not.found", "The requested resource was not found.")
		return
	}
	if !e.org.ClientCan(c.client, genesys.PermQueueView, e.org.Division(q.Division).ID) {
		if e.opts.HiddenQueueStatus == http.StatusNotFound {
			writeError(w, http.StatusNotFound, "not.found", "The requested resource was not found.")
		} else {
			writeError(w, http.StatusForbidden, "not.authorized", "You are not authorized to perform the requested action.")
		}
		return
	}
	writeJSON(w, http.StatusOK, e.queueJSON(q, false))
}

// nameMatches is the fake's name filter: exact unless the pattern starts
// or ends with "*", and without regard to case unless caseSensitive.
func nameMatches(pattern, name string, caseSensitive bool) bool {
	p, n := pattern, name
	if !caseSensitive {
		p, n = strings.ToLower(pattern), strings.ToLower(name)
	}
	pre, suf := strings.HasPrefix(p, "*"), strings.HasSuffix(p, "*") && len(p) > 1
	core := strings.TrimSuffix(strings.TrimPrefix(p, "*"), "*")
	switch {
	case pre && suf:
		return strings.Contains(n, core)
	case pre:
		return strings.HasSuffix(n, core)
	case suf:
		return strings.HasPrefix(n, core)
	}
	return n == core
}

// multiParam reads an array parameter given repeated (?id=a&id=b) or
// comma-joined (?id=a,b), dropping empty values.
func multiParam(q url.Values, key string) []string {
	var out []string
	for _, v := range q[key] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// writePage answers one page of all in the paged envelope. A pageSize
// above maxSize, a pageNumber above maxNumber (0 = unbounded) and values
// that are not positive 32-bit integers get 400 bad.request; a page past the
// end is empty.
func writePage[T any](e *Server, w http.ResponseWriter, r *http.Request, c *call, all []T, defSize, maxSize, maxNumber int) {
	size, err1 := intParam(c.query, "pageSize", defSize)
	num, err2 := intParam(c.query, "pageNumber", 1)
	switch {
	case err1 != nil || err2 != nil || size < 1 || num < 1:
		writeError(w, http.StatusBadRequest, "bad.request", "pageSize and pageNumber must be positive integers")
		return
	case size > maxSize:
		writeError(w, http.StatusBadRequest, "bad.request", fmt.Sprintf("pageSize must be at most %d", maxSize))
		return
	case maxNumber > 0 && num > maxNumber:
		writeError(w, http.StatusBadRequest, "bad.request", fmt.Sprintf("pageNumber must be at most %d", maxNumber))
		return
	}
	// No product below can overflow: size <= maxSize and start <= len(all).
	count := len(all) / size
	if len(all)%size != 0 {
		count++
	}
	start := len(all)
	if num-1 < count {
		start = (num - 1) * size
	}
	end := min(start+size, len(all))
	uri := func(n int) string {
		return fmt.Sprintf("%s?pageSize=%d&pageNumber=%d", r.URL.Path, size, n)
	}
	p := genesys.Page[T]{Entities: all[start:end], PageSize: size, PageNumber: num, Total: len(all), PageCount: count,
		FirstURI: uri(1), SelfURI: uri(num), LastURI: uri(max(count, 1))}
	if e.opts.OmitPageCount {
		p.PageCount = 0
	}
	if p.Entities == nil {
		p.Entities = []T{}
	}
	if num < count {
		p.NextURI = uri(num + 1)
	}
	if num > 1 {
		p.PreviousURI = uri(num - 1)
	}
	writeJSON(w, http.StatusOK, p)
}

// intParam reads a positive 32-bit integer parameter (Genesys's paging
// parameters are int32).
func intParam(q url.Values, key string, def int) (int, error) {
	v := q.Get(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 32)
	return int(n), err
}
