package simulate

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRecordingPasses records a session and runs the recording as a test.
func TestRecordingPasses(t *testing.T) {
	src, err := os.ReadFile("../testdata/examples/acme.flow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "acme.flow.yaml"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	p := load(t, string(src))
	r := start(t, p, Options{})
	r.say("I want to talk to someone")
	r.say(`Ann "the tester" O'Neil`)
	r.say("before the agent")
	r.agent(AgentJoin, "")
	r.agent(AgentSay, "Hi: how can I help? #1")
	r.agent(AgentTransfer, "Support EN")
	r.agent(AgentJoin, "")
	r.agent(AgentClose, "")
	r.wait("1h30m")
	rec := &Recording{Name: "recorded", Flow: "acme.flow.yaml", Events: r.events}
	path := filepath.Join(dir, "rec.test.yaml")
	if err := os.WriteFile(path, rec.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	res := RunSuite([]string{path}, SuiteOptions{})[0]
	if res.Status != StatusPass {
		t.Fatalf("recording does not pass: %+v\n%s", res.Failure, rec.Bytes())
	}
	if res.Steps != 14 {
		t.Errorf("%d steps:\n%s", res.Steps, rec.Bytes())
	}
}
