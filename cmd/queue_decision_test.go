package cmd

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/org"
)

// decisionOrg has a visible queue "support en" and, in a division the bot
// cannot see, "Support EN": looking up "Support EN" must find the hidden
// queue (division not permitted), not a near miss of the visible one.
const decisionOrg = `organization: { name: Acme }
divisions:
  - { name: Home, home: true }
  - { name: Support }
queues:
  - { name: support en, division: Support }
  - { name: Support EN, division: Home }
roles:
  - name: Bot handover
    permissions: [routing:queue:view, conversation:communication:blindTransfer,
                  conversation:message:receive, messaging:integration:view]
  - { name: Directory, permissions: [routing:queue:search] }
oauthClients:
  - name: Bot integration
    secret: decision-s3cr3t
    roleDivisions:
      - { role: Bot handover, division: Support }
      - { role: Directory, division: Home }
integrations:
  - { name: Web chat, webhookSecret: hook-s3cr3t }
`

const decisionFlow = `version: 1
name: Decision
flows:
  main:
    start: greet
    blocks:
      - { id: greet, type: say, text: "Hi", input: true, next: handover }
      - { id: handover, type: redirect, queue: "Support EN", onError: sorry }
      - { id: sorry, type: end, text: "Sorry" }
`

// TestQueueDecisionAgrees: validate, check-queue and simulate (online and
// with --org) and serve's handover (the client's HandOver) reach the same
// verdict on "Support EN".
func TestQueueDecisionAgrees(t *testing.T) {
	orgPath, flowPath := writeDecision(t, decisionOrg)
	o, err := org.Load(orgPath)
	if err != nil {
		t.Fatal(err)
	}
	em := emulator.New(o, emulator.Options{SubjectsMe: "grants"})
	srv := httptest.NewServer(em)
	defer func() { em.Close(); srv.Close() }()
	creds := map[string]string{genesys.EnvRegion: srv.URL, genesys.EnvClientID: o.OAuthClients[0].ID, genesys.EnvClientSecret: "decision-s3cr3t"}
	hidden := o.Queue("Support EN").ID

	runs := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"check-queue online", creds, []string{"check-queue", "Support EN"}, ExitFindings,
			`✗ "Support EN": exists (queue id ` + hidden + `) in division "Home", where OAuth client "Bot integration" has no role granting routing:queue:view`},
		{"check-queue --org", nil, []string{"check-queue", "--org", orgPath, "Support EN"}, ExitFindings,
			`✗ "Support EN": exists (queue id ` + hidden + `) in division "Home", where OAuth client "Bot integration" has no role granting routing:queue:view`},
		{"validate online", creds, []string{"validate", flowPath}, ExitFindings,
			`queue "Support EN" is in division "Home", where OAuth client "Bot integration" has no role granting routing:queue:view (granted: Support); grant the handover role in division "Home" or move the queue [queue-division-not-permitted]`},
		{"validate --org", nil, []string{"validate", "--org", orgPath, flowPath}, ExitFindings,
			`queue "Support EN" is in division "Home", where OAuth client "Bot integration" has no role granting routing:queue:view (granted: Support); grant the handover role in division "Home" or move the queue [queue-division-not-permitted]`},
	}
	for _, r := range runs {
		code, out, errOut := runWithEnv(t, r.env, r.args...)
		if code != r.code || !strings.Contains(out, r.want) {
			t.Errorf("%s: exit %d, want %d with %q\nstdout: %s\nstderr: %s", r.name, code, r.code, r.want, out, errOut)
		}
	}

	// simulate --org: the handover fails for the same reason.
	var out, errOut strings.Builder
	Main([]string{"simulate", "--org", orgPath, flowPath}, strings.NewReader("hello\n"), &out, &errOut)
	if want := `handover to queue "Support EN" failed: queue "Support EN" is in division "Home"`; !strings.Contains(out.String(), want) {
		t.Errorf("simulate --org: want %q\nstdout: %s\nstderr: %s", want, out.String(), errOut.String())
	}

	// serve's handover: the client's lookup decides the same.
	c, err := genesys.New(genesys.Config{Region: srv.URL, ClientID: o.OAuthClients[0].ID, ClientSecret: "decision-s3cr3t"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.HandOver(context.Background(), genesys.Handover{IntegrationID: o.Integrations[0].ID, From: genesys.OpenMessageFrom{ID: "u1", IDType: "Opaque"}, Text: "hi", Queue: "Support EN"})
	var he *genesys.HandoverError
	if !errors.As(err, &he) || he.Verdict.Status != flow.QueueDivisionNotPermitted || he.Verdict.Division != "Home" || he.Verdict.QueueID != hidden {
		t.Fatalf("handover: %v (%+v)", err, he)
	}
	if want := `queue "Support EN" is in division "Home", where the OAuth client has no role granting routing:queue:view; grant the handover role in division "Home" or move the queue`; err.Error() != want {
		t.Errorf("handover error\n got %s\nwant %s", err, want)
	}
}

// TestQueueDecisionAgreesWithoutSearch: without routing:queue:search the
// org file still knows where "Support EN" is, and every command that reads
// it says division not permitted (spec §5: known from the org file). Only
// an online check, which sees what the API lists, can say less.
func TestQueueDecisionAgreesWithoutSearch(t *testing.T) {
	noSearch := strings.Replace(decisionOrg, "      - { role: Directory, division: Home }\n", "", 1)
	if noSearch == decisionOrg {
		t.Fatal("the Directory grant is not in decisionOrg")
	}
	orgPath, flowPath := writeDecision(t, noSearch)
	const want = `queue "Support EN" is in division "Home", where OAuth client "Bot integration" has no role granting routing:queue:view`
	for _, args := range [][]string{
		{"validate", "--org", orgPath, flowPath},
		{"check-queue", "--org", orgPath, "Support EN"},
	} {
		code, out, errOut := runWithEnv(t, nil, args...)
		if code != ExitFindings || !(strings.Contains(out, want) || strings.Contains(out, `exists (queue id`)) || strings.Contains(out, "did you mean") {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", args, code, out, errOut)
		}
	}
	var out, errOut strings.Builder
	Main([]string{"simulate", "--org", orgPath, flowPath}, strings.NewReader("hello\n"), &out, &errOut)
	if w := `handover to queue "Support EN" failed: queue "Support EN" is in division "Home"`; !strings.Contains(out.String(), w) {
		t.Errorf("simulate --org: want %q\nstdout: %s\nstderr: %s", w, out.String(), errOut.String())
	}
}

// writeDecision writes orgText and decisionFlow to a temporary folder.
func writeDecision(t *testing.T, orgText string) (orgPath, flowPath string) {
	t.Helper()
	dir := t.TempDir()
	orgPath, flowPath = filepath.Join(dir, "org.yaml"), filepath.Join(dir, "d.flow.yaml")
	for p, s := range map[string]string{orgPath: orgText, flowPath: decisionFlow} {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return orgPath, flowPath
}
