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
// cannot see, "Support EN". With the Directory role (routing:queue:search)
// looking up "Support EN" finds the hidden queue (division not permitted),
// not a near miss of the visible one.
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

// decisionOrgNoSearch is decisionOrg without the Directory grant: the
// client sees only the queues of Support, as Genesys shows them, so the
// org file's facts hold no more than that and "Support EN" is a name
// mismatch of "support en" everywhere.
var decisionOrgNoSearch = strings.Replace(decisionOrg, "      - { role: Directory, division: Home }\n", "", 1)

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

// decision is what every consumer of the queue decision must say about
// "Support EN" on one org.
type decision struct {
	checkQueue string // check-queue's line, online and with --org
	note       string // check-queue's note, "" for none
	validate   string // validate's finding, online and with --org
	simulate   string // simulate --org's handover failure
	status     flow.QueueStatus
	handover   string // serve's handover error (the client's HandOver)
}

// TestQueueDecisionAgrees: validate, check-queue and simulate (online and
// with --org) and serve's handover (the client's HandOver, against the
// emulator serve --org starts) reach the same verdict on "Support EN",
// with and without routing:queue:search.
func TestQueueDecisionAgrees(t *testing.T) {
	t.Run("search", func(t *testing.T) {
		testQueueDecision(t, decisionOrg, func(hidden string) decision {
			return decision{
				checkQueue: `✗ "Support EN": exists (queue id ` + hidden + `) in division "Home", where OAuth client "Bot integration" has no role granting routing:queue:view`,
				validate:   `queue "Support EN" is in division "Home", where OAuth client "Bot integration" has no role granting routing:queue:view (granted: Support); grant the handover role in division "Home" or move the queue [queue-division-not-permitted]`,
				simulate:   `handover to queue "Support EN" failed: queue "Support EN" is in division "Home"`,
				status:     flow.QueueDivisionNotPermitted,
				handover:   `queue "Support EN" is in division "Home", where the OAuth client has no role granting routing:queue:view; grant the handover role in division "Home" or move the queue`,
			}
		})
	})
	t.Run("no search", func(t *testing.T) {
		const mismatch = `no queue is named exactly "Support EN"; did you mean "support en"? Genesys matches queue names exactly, case and spaces included`
		testQueueDecision(t, decisionOrgNoSearch, func(string) decision {
			return decision{
				checkQueue: `✗ "Support EN": ` + mismatch,
				note:       "note: " + genesys.NoSearchNote,
				validate:   mismatch + ` [queue-name-mismatch]`,
				simulate:   `handover to queue "Support EN" failed: ` + mismatch,
				status:     flow.QueueNameMismatch,
				handover:   mismatch,
			}
		})
	})
}

func testQueueDecision(t *testing.T, orgYAML string, want func(hidden string) decision) {
	dir := t.TempDir()
	orgPath, flowPath := filepath.Join(dir, "org.yaml"), filepath.Join(dir, "d.flow.yaml")
	for p, s := range map[string]string{orgPath: orgYAML, flowPath: decisionFlow} {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	o, err := org.Load(orgPath)
	if err != nil {
		t.Fatal(err)
	}
	hidden := o.Queue("Support EN").ID
	w := want(hidden)

	// Online: the grants read (subjects/me answers), and with the
	// emulator's defaults (the grants unknown), as serve's emulator runs.
	for _, opts := range []emulator.Options{{SubjectsMe: "grants"}, {}} {
		em := emulator.New(o, opts)
		srv := httptest.NewServer(em)
		defer func() { em.Close(); srv.Close() }()
		creds := map[string]string{genesys.EnvRegion: srv.URL, genesys.EnvClientID: o.OAuthClients[0].ID, genesys.EnvClientSecret: "decision-s3cr3t"}
		runs := []struct {
			name string
			env  map[string]string
			args []string
			want string
		}{
			{"check-queue online", creds, []string{"check-queue", "Support EN"}, w.checkQueue},
			{"check-queue --org", nil, []string{"check-queue", "--org", orgPath, "Support EN"}, w.checkQueue},
			{"validate online", creds, []string{"validate", flowPath}, w.validate},
			{"validate --org", nil, []string{"validate", "--org", orgPath, flowPath}, w.validate},
		}
		for _, r := range runs {
			if opts.SubjectsMe == "" && r.env == nil {
				continue // the org file's facts do not depend on the emulator
			}
			if opts.SubjectsMe == "" {
				// Unknown grants: the same verdict, without the granted
				// divisions.
				r.want = strings.Replace(r.want, " (granted: Support)", "", 1)
			}
			code, out, errOut := runWithEnv(t, r.env, r.args...)
			if code != ExitFindings || !strings.Contains(out, r.want) {
				t.Errorf("%s (subjects/me %q): exit %d, want %d with %q\nstdout: %s\nstderr: %s", r.name, opts.SubjectsMe, code, ExitFindings, r.want, out, errOut)
			}
			if strings.HasPrefix(r.name, "check-queue") && w.note != "" && opts.SubjectsMe != "" && !strings.Contains(out+errOut, w.note) {
				t.Errorf("%s: want the note %q\nstdout: %s\nstderr: %s", r.name, w.note, out, errOut)
			}
		}

		// serve's handover: the client's lookup decides the same.
		c, err := genesys.New(genesys.Config{Region: srv.URL, ClientID: o.OAuthClients[0].ID, ClientSecret: "decision-s3cr3t"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.HandOver(context.Background(), genesys.Handover{IntegrationID: o.Integrations[0].ID, From: genesys.OpenMessageFrom{ID: "u1", IDType: "Opaque"}, Text: "hi", Queue: "Support EN"})
		var he *genesys.HandoverError
		if !errors.As(err, &he) || he.Verdict.Status != w.status {
			t.Fatalf("handover (subjects/me %q): %v (%+v)", opts.SubjectsMe, err, he)
		}
		if w.status == flow.QueueDivisionNotPermitted && (he.Verdict.Division != "Home" || he.Verdict.QueueID != hidden) {
			t.Errorf("handover (subjects/me %q): %+v", opts.SubjectsMe, he.Verdict)
		}
		if err.Error() != w.handover {
			t.Errorf("handover error (subjects/me %q)\n got %s\nwant %s", opts.SubjectsMe, err, w.handover)
		}
	}

	// simulate --org: the handover fails for the same reason.
	var out, errOut strings.Builder
	Main([]string{"simulate", "--org", orgPath, flowPath}, strings.NewReader("hello\n"), &out, &errOut)
	if !strings.Contains(out.String(), w.simulate) {
		t.Errorf("simulate --org: want %q\nstdout: %s\nstderr: %s", w.simulate, out.String(), errOut.String())
	}
}
