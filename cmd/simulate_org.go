package cmd

import (
	"fmt"
	"sync"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
	"github.com/flowctl/flowctl/simulate"
)

// orgResolver adapts an org file's queue facts to simulate.QueueResolver:
// a handover succeeds only for a queue of exactly that name, visible to
// the OAuth client, with every handover permission held.
type orgResolver struct {
	facts *genesys.Facts
	mu    sync.Mutex
	cache map[string]simulate.Resolution
}

// loadOrgResolver reads an org file and picks its OAuth client (client is
// a name or id; "" when the file has one client).
func loadOrgResolver(of orgFlags) (*orgResolver, error) {
	o, err := of.load()
	if err != nil {
		return nil, err
	}
	facts, err := org.Facts(o, of.Client)
	if err != nil {
		return nil, err
	}
	return &orgResolver{facts: facts, cache: map[string]simulate.Resolution{}}, nil
}

// ResolveQueue looks the exact name up in the org's facts.
func (r *orgResolver) ResolveQueue(name string) simulate.Resolution {
	r.mu.Lock()
	defer r.mu.Unlock()
	if res, ok := r.cache[name]; ok {
		return res
	}
	rep := genesys.Resolve(r.facts, []string{name})
	res := simulate.Resolution{Verdict: rep.Verdicts[name], MissingPermissions: rep.Missing, Client: fmt.Sprintf("OAuth client %q", r.facts.Client.Name)}
	r.cache[name] = res
	return res
}
