package cmd

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/org"
)

// benchOrg is 2,000 queues in 10 divisions; the bot client views 5 of them
// (1,000 queues: 2 pages of 500) and may search all.
func benchOrg(b *testing.B) *org.File {
	var s strings.Builder
	s.WriteString("organization: {name: Big}\ndivisions:\n")
	for d := range 10 {
		fmt.Fprintf(&s, "  - {name: Div%02d}\n", d)
	}
	s.WriteString("queues:\n")
	for i := range 2000 {
		fmt.Fprintf(&s, "  - {name: Queue %04d, division: Div%02d}\n", i, i%10)
	}
	s.WriteString(`roles:
  - name: Bot handover
    permissions: [routing:queue:view, routing:queue:search, conversation:communication:blindTransfer, conversation:message:receive, messaging:integration:view]
oauthClients:
  - name: Bot
    secret: bench-secret
    roleDivisions:
`)
	for d := range 5 {
		fmt.Fprintf(&s, "      - {role: Bot handover, division: Div%02d}\n", d)
	}
	o, err := org.Parse("bench.yaml", []byte(s.String()))
	if err != nil {
		b.Fatal(err)
	}
	return o
}

// BenchmarkValidateOnline validates 500 flow files whose redirects name 50
// distinct queues (2 of them in divisions the client cannot see) against
// the emulator, and reports the Genesys requests of one run.
func BenchmarkValidateOnline(b *testing.B) {
	o := benchOrg(b)
	em := emulator.New(o, emulator.Options{})
	srv := httptest.NewServer(em)
	defer srv.Close()
	dir := b.TempDir()
	for i := range 500 {
		q := (i % 50) * 10 // Div00: visible
		if i%50 >= 48 {
			q += 5 // Div05: not permitted
		}
		flow := fmt.Sprintf(`version: 1
name: Flow %d
flows:
  main:
    start: hi
    blocks:
      - { id: hi, type: say, text: "Hi", input: true, next: handover }
      - { id: handover, type: redirect, queue: "Queue %04d", onError: bye }
      - { id: bye, type: end, text: "Bye" }
`, i, q)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d.flow.yaml", i)), []byte(flow), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	env := map[string]string{
		genesys.EnvRegion: srv.URL, genesys.EnvClientID: o.OAuthClients[0].ID, genesys.EnvClientSecret: "bench-secret",
	}
	em.ResetRequests()
	for b.Loop() {
		code, out, errOut := runWithEnvB(env, "validate", "--format", "json", dir)
		if code != ExitFindings || !strings.Contains(out, `"queueChecks": "online"`) {
			b.Fatalf("exit %d\n%s\n%s", code, out[:min(len(out), 500)], errOut)
		}
	}
	perRun := float64(em.Requests()) / float64(b.N)
	b.ReportMetric(perRun, "requests/op")
	if budget := 4.0 + 5; perRun > budget { // 2,000 queues = 4 pages of 500
		b.Fatalf("%.0f requests per run, budget %.0f", perRun, budget)
	}
}
