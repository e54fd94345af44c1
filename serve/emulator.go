package serve

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/org"
	"gopkg.in/yaml.v3"
)

// Names of what the bridge adds to an emulated org.
const (
	defaultIntegration = "flowctl serve web chat"
	defaultClient      = "flowctl serve"
	defaultAgent       = "Agent"
)

// DefaultOrg is the org the emulator serves without --org: one Home
// division holding every queue the flow's Redirects name, one OAuth client
// granted the handover permissions, queue search and the bridge's own
// (ending a conversation) in all divisions, one Open Messaging integration
// and one agent in every queue. Secrets are random and live only in
// memory.
func DefaultOrg(p *flow.Project) (*org.File, error) {
	queues := flow.QueueNames(p)
	o := org.File{
		Organization: org.Info{Name: "flowctl serve"},
		Divisions:    []org.Division{{Name: "Home", Home: true}},
		Queues:       []org.Queue{},
		Roles: []org.Role{{
			Name:        "Bot handover",
			Permissions: append(slices.Clone(flow.HandoverPermissions), genesys.PermQueueSearch, genesys.PermDisconnect),
		}},
		OAuthClients: []org.Client{{
			Name: defaultClient, Secret: randomSecret(),
			RoleDivisions: []org.RoleDivision{{Role: "Bot handover", Division: genesys.AllDivisions}},
		}},
		Integrations: []org.Integration{{Name: defaultIntegration, WebhookSecret: randomSecret()}},
		Agents:       []org.Agent{{Name: defaultAgent, Queues: queues}},
	}
	for _, q := range queues {
		o.Queues = append(o.Queues, org.Queue{Name: q, Division: "Home"})
	}
	// Round-trip through the org file loader: it checks the result and
	// derives the stable ids.
	data, err := yaml.Marshal(&o)
	if err != nil {
		return nil, err
	}
	return org.Parse("(default org)", data)
}

// emulated is the built-in emulator the bridge hands over to: its own
// loopback listener, the integration the bridge uses, and what the agent
// desk offers.
type emulated struct {
	em            *emulator.Server
	srv           *http.Server
	integrationID string
	agents        []string
	queues        []string // sorted
	desk          *deskHub
	// facts are the org file's facts for the bridge's client: they know
	// the queues the client cannot list (see orgVerdict).
	facts *genesys.Facts
}

func (e *emulated) close() {
	e.em.Close()
	e.srv.Close()
}

// setupEmulator completes the org for the bridge (an integration, secrets),
// starts the emulator on a loopback listener and a client for it.
func (s *Server) setupEmulator() error {
	o := s.opts.Org
	if o == nil {
		p := s.flow.project()
		if p == nil {
			p = &flow.Project{}
		}
		var err error
		if o, err = DefaultOrg(p); err != nil {
			return fmt.Errorf("default org: %w", err)
		}
	}
	cl, err := o.Client(s.opts.Client)
	if err != nil {
		return err
	}
	if !cl.Active() {
		return fmt.Errorf("OAuth client %q is %s in the org file: it cannot authenticate", cl.Name, cl.State)
	}
	facts, err := org.Facts(o, s.opts.Client)
	if err != nil {
		return err
	}
	if cl.Secret == "" {
		cl.Secret = randomSecret()
	}
	if len(o.Integrations) == 0 {
		o.Integrations = append(o.Integrations, org.Integration{Name: defaultIntegration, ID: org.StableID("integration", defaultIntegration)})
	}
	it := &o.Integrations[0]
	if it.WebhookSecret == "" {
		it.WebhookSecret = randomSecret()
	}
	if len(o.Agents) == 0 {
		// The desk needs an agent, who serves every queue.
		a := org.Agent{Name: defaultAgent, ID: org.StableID("agent", defaultAgent)}
		for _, q := range o.Queues {
			a.Queues = append(a.Queues, q.Name)
		}
		o.Agents = append(o.Agents, a)
	}
	em := emulator.New(o, s.opts.Emulator)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		em.Close()
		return fmt.Errorf("emulator: %w", err)
	}
	e := &emulated{em: em, srv: &http.Server{Handler: em, ReadHeaderTimeout: 10 * time.Second}, integrationID: it.ID, facts: facts}
	s.emu = e
	go e.srv.Serve(ln)
	s.gc, err = genesys.New(genesys.Config{
		Region: "http://" + ln.Addr().String(), ClientID: cl.ID, ClientSecret: cl.Secret,
		// The emulator is local: no rate limit, no retries.
		RateLimit: math.MaxInt32, MaxRetries: -1, Timeout: 30 * time.Second, UserAgent: "flowctl-serve",
	})
	if err != nil {
		return err
	}
	s.bridge = s.newBridge(s.gc, it.ID, it.WebhookSecret)
	s.bridge.start() // the emulator is local: its notifications open at once
	for _, a := range o.Agents {
		e.agents = append(e.agents, a.Name)
	}
	for _, q := range o.Queues {
		e.queues = append(e.queues, q.Name)
	}
	slices.Sort(e.queues)
	e.desk = newDeskHub(s, e)
	return nil
}

// orgVerdict decides a failed queue lookup again on the org file's facts,
// as validate, check-queue and simulate do with --org: the emulator answers
// as Genesys does, so a client without routing:queue:search cannot find a
// queue in a division it has no grant for, but the org file knows the
// queue is there (spec: from the org file, "division not permitted", not
// "not found" or a near miss). Other errors are returned as they are.
func (s *Server) orgVerdict(err error) error {
	var he *genesys.HandoverError
	if s.emu == nil || s.emu.facts == nil || !errors.As(err, &he) || he.Err != nil {
		return err
	}
	v := genesys.Resolve(s.emu.facts, []string{he.Queue}).Verdicts[he.Queue]
	if v.Status == flow.QueueReachable {
		return err // the lookup knows better why it failed
	}
	return &genesys.HandoverError{Step: he.Step, Queue: he.Queue, Verdict: v, Client: fmt.Sprintf("OAuth client %q", s.emu.facts.Client.Name)}
}

// missingQueues returns the flow's static Redirect queues the emulated org
// lacks (the org is fixed at start).
func (s *Server) missingQueues(p *flow.Project) []string {
	if s.emu == nil || p == nil {
		return nil
	}
	var out []string
	for _, q := range flow.QueueNames(p) {
		if !slices.Contains(s.emu.queues, q) {
			out = append(out, q)
		}
	}
	return out
}

// randomSecret returns 48 random hex digits (crypto/rand never fails).
func randomSecret() string {
	var b [24]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newChatID returns an unguessable chat id: it is the chat's capability.
func newChatID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newSessionID returns a chat's session.id: random, so that chats do not
// collide, but no capability: the flow may show it to anyone.
func newSessionID() string {
	var b [6]byte
	rand.Read(b[:])
	return "web-" + hex.EncodeToString(b[:])
}
