package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/org"
)

// webhookSink is a bridge stand-in: it verifies each delivery's signature
// and keeps the messages in order.
type webhookSink struct {
	secret   string
	mu       sync.Mutex
	got      []genesys.OpenOutboundMessage
	raw      [][]byte
	failures []int // statuses to answer first, one per delivery
	stalls   int   // deliveries to hold beyond the emulator's wait first
	tries    int
}

func (s *webhookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.tries++
	secret := s.secret
	if s.stalls > 0 {
		s.stalls--
		s.mu.Unlock()
		<-r.Context().Done() // the emulator gives up waiting
		return
	}
	if len(s.failures) > 0 {
		status := s.failures[0]
		s.failures = s.failures[1:]
		s.mu.Unlock()
		w.WriteHeader(status)
		return
	}
	s.mu.Unlock()
	if err := genesys.VerifyWebhook(secret, body, r.Header.Get(genesys.SignatureHeader)); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var m genesys.OpenOutboundMessage
	if err := json.Unmarshal(body, &m); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, m)
	s.raw = append(s.raw, body)
}

func (s *webhookSink) messages() []genesys.OpenOutboundMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.got)
}

func (s *webhookSink) attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tries
}

// messagingSetup emulates org with its integration's webhook pointing at a
// verifying sink.
func messagingSetup(t *testing.T, o *org.File) (*emulator.Server, *genesys.Client, *webhookSink) {
	t.Helper()
	sink := &webhookSink{secret: o.Integrations[0].WebhookSecret}
	em, c := webhookSetup(t, o, emulator.Options{}, sink)
	return em, c, sink
}

// webhookSetup emulates org with opts, its integration's webhook pointing
// at sink.
func webhookSetup(t *testing.T, o *org.File, opts emulator.Options, sink *webhookSink) (*emulator.Server, *genesys.Client) {
	t.Helper()
	em, c, _ := emulate(t, o, opts, nil)
	srv := httptest.NewServer(sink)
	t.Cleanup(srv.Close)
	if err := em.SetWebhookURL(o.Integrations[0].Name, srv.URL); err != nil {
		t.Fatal(err)
	}
	return em, c
}

// handOver hands a customer's "hi" over to Support EN.
func handOver(t *testing.T, c *genesys.Client, o *org.File) *genesys.HandoverResult {
	t.Helper()
	res, err := c.HandOver(context.Background(), genesys.Handover{IntegrationID: o.Integrations[0].ID, From: customer(), Text: "hi", Queue: "Support EN"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// An agent message the webhook refuses (4xx) is an error at once and is
// taken back; a timeout, 429 or 5xx is retried up to 5 times, 5 seconds
// apart on the emulator's clock, as Genesys does.
func TestWebhookDelivery(t *testing.T) {
	o := acmeOrg(t)
	em, c, sink := messagingSetup(t, o)
	ctx := context.Background()
	res := handOver(t, c, o)
	if err := em.AgentJoin(ctx, res.ConversationID, "Alice"); err != nil {
		t.Fatal(err)
	}
	sink.mu.Lock()
	sink.secret = "not-the-integration-secret" // the bridge rejects the signature
	sink.mu.Unlock()
	err := em.AgentSay(ctx, res.ConversationID, "refused")
	var we *emulator.WebhookError
	if !errors.As(err, &we) || we.Status != http.StatusUnauthorized || we.Attempts != 1 {
		t.Fatalf("a refused message: %v", err)
	}
	if strings.Contains(err.Error(), o.Integrations[0].WebhookSecret) {
		t.Fatal("the error names the webhook secret")
	}
	conv := findConversation(t, em, res.ConversationID)
	if lastMessage(conv) == "refused" {
		t.Fatal("a refused message stays in the conversation")
	}
	sink.mu.Lock()
	sink.secret = o.Integrations[0].WebhookSecret
	sink.failures = []int{http.StatusServiceUnavailable, http.StatusTooManyRequests}
	sink.mu.Unlock()
	before := len(sink.messages())
	if err := em.AgentSay(ctx, res.ConversationID, "third time lucky"); err != nil {
		t.Fatal(err)
	}
	if got := sink.messages(); len(got) != before+1 || got[len(got)-1].Text != "third time lucky" {
		t.Fatalf("after two failures: %d messages", len(got))
	}
	sink.mu.Lock()
	sink.failures = slices.Repeat([]int{http.StatusInternalServerError}, 10)
	sink.mu.Unlock()
	err = em.AgentSay(ctx, res.ConversationID, "never")
	if !errors.As(err, &we) || we.Status != 500 || we.Attempts != 6 || !strings.Contains(err.Error(), "after 6 attempts") {
		t.Fatalf("after six failures: %v", err)
	}
	if sink.attempts() != before+1+2+1+6 {
		t.Fatalf("%d deliveries attempted", sink.attempts())
	}
}

// The retries wait 5 seconds each on the emulator's clock.
func TestWebhookRetryWaits(t *testing.T) {
	o := acmeOrg(t)
	var waits []time.Duration
	sink := &webhookSink{secret: o.Integrations[0].WebhookSecret, failures: slices.Repeat([]int{502}, 3)}
	em, c := webhookSetup(t, o, emulator.Options{Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}, sink)
	ctx := context.Background()
	res := handOver(t, c, o)
	em.AgentJoin(ctx, res.ConversationID, "Bob")
	if err := em.AgentSay(ctx, res.ConversationID, "hello"); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(waits, []time.Duration{5 * time.Second, 5 * time.Second, 5 * time.Second}) {
		t.Fatalf("waits %v", waits)
	}
}

// A webhook that does not answer within WebhookTimeout is tried again.
func TestWebhookTimeoutRetried(t *testing.T) {
	o := acmeOrg(t)
	sink := &webhookSink{secret: o.Integrations[0].WebhookSecret, stalls: 2}
	em, c := webhookSetup(t, o, emulator.Options{WebhookTimeout: 50 * time.Millisecond}, sink)
	ctx := context.Background()
	res := handOver(t, c, o)
	em.AgentJoin(ctx, res.ConversationID, "Bob")
	if err := em.AgentSay(ctx, res.ConversationID, "late but there"); err != nil {
		t.Fatal(err)
	}
	if got := sink.messages(); sink.attempts() != 3 || len(got) != 1 || got[0].Text != "late but there" {
		t.Fatalf("%d attempts, %d messages", sink.attempts(), len(got))
	}
}
