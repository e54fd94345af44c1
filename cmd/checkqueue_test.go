package cmd

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/org"
)

// runWithEnv runs flowctl in-process with only env set.
func runWithEnv(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	return runWithEnvB(env, args...)
}

// runWithEnvB is runWithEnv for benchmarks.
func runWithEnvB(env map[string]string, args ...string) (int, string, string) {
	f, s := newTestFactory(env)
	return run(f, args), s.Out.String(), s.ErrOut.String()
}

func TestCheckQueueExitCodes(t *testing.T) {
	o, err := org.Load(filepath.Join("..", "testdata", "examples", "acme.org.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const secret = "SENTINEL-unit-s3cr3t"
	o.OAuthClients[0].Secret = secret
	em := emulator.New(o, emulator.Options{})
	srv := httptest.NewServer(em)
	defer func() { em.Close(); srv.Close() }()
	creds := map[string]string{
		genesys.EnvRegion:       srv.URL,
		genesys.EnvClientID:     o.OAuthClients[0].ID,
		genesys.EnvClientSecret: secret,
	}
	acme := filepath.Join("..", "testdata", "examples", "acme.org.yaml")
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		fault emulator.FaultKind
		code  int
		want  string // in stdout or stderr
	}{
		{name: "reachable", env: creds, args: []string{"Billing Support", "Support EN"}, code: ExitOK, want: `✓ "Support EN": reachable`},
		{name: "not permitted", env: creds, args: []string{"Sales EN"}, code: ExitFindings, want: `in division "Home"`},
		{name: "org file", args: []string{"--org", acme, "Support EN"}, code: ExitOK, want: "Org file"},
		{name: "org file unreachable", args: []string{"--org", acme, "Nope"}, code: ExitFindings, want: `"Nope": no queue named "Nope" exists in the organization`},
		{name: "no args", args: nil, code: ExitUsage, want: "check-queue needs the name of a queue to check"},
		{name: "bad format", env: creds, args: []string{"-f", "xml", "Q"}, code: ExitUsage, want: `invalid --format "xml"`},
		{name: "no credentials", args: []string{"Q"}, code: ExitFailure, want: "GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION are not set; set them, or work offline against an org file with --org FILE"},
		{name: "server error", env: creds, args: []string{"Q"}, fault: emulator.FaultServerError, code: ExitFailure, want: "HTTP 500 internal.server.error"},
		{name: "unknown region", env: map[string]string{genesys.EnvRegion: "xx-1", genesys.EnvClientID: "a", genesys.EnvClientSecret: secret}, args: []string{"Q"}, code: ExitFailure, want: `unknown GENESYSCLOUD_REGION "xx-1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			em.ClearFaults()
			if tt.fault != "" {
				em.SetFault(emulator.Fault{Kind: tt.fault})
			}
			code, out, errOut := runWithEnv(t, tt.env, append([]string{"check-queue"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if !strings.Contains(out+errOut, tt.want) {
				t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", tt.want, out, errOut)
			}
			if strings.Contains(out+errOut, secret) {
				t.Errorf("output shows the secret")
			}
		})
	}
}

func TestOrgExportExitCodes(t *testing.T) {
	code, _, errOut := runWithEnv(t, nil, "org", "export")
	if code != ExitFailure || !strings.Contains(errOut, "credentials missing: ") || strings.Contains(errOut, "--org") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	code, _, errOut = runWithEnv(t, nil, "org", "nope")
	if code != ExitUsage || !strings.Contains(errOut, `unknown command "nope" for "flowctl org"`) {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// TestOrgExportGrantsUnknownExit3: export refuses (exit 3) to write a
// snapshot without the client's grants, and writes nothing.
func TestOrgExportGrantsUnknownExit3(t *testing.T) {
	o, err := org.Load(filepath.Join("..", "testdata", "examples", "acme.org.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	em := emulator.New(o, emulator.Options{SubjectsMe: "error"})
	srv := httptest.NewServer(em)
	defer func() { em.Close(); srv.Close() }()
	env := map[string]string{genesys.EnvRegion: srv.URL, genesys.EnvClientID: o.OAuthClients[0].ID, genesys.EnvClientSecret: o.OAuthClients[0].Secret}
	code, out, errOut := runWithEnv(t, env, "org", "export")
	if code != ExitFailure || out != "" || !strings.Contains(errOut, "role grants cannot be read") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
}
