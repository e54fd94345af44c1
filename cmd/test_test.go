package cmd

import (
	"strings"
	"testing"
)

// TestExampleTests runs the example test files shipped next to the example
// flow, with their org file resolved through genesys.
func TestExampleTests(t *testing.T) {
	f, s := newTestFactory(nil)
	out, errOut := s.Out, s.ErrOut
	err := runTest(f, &testOptions{Paths: []string{"../testdata/examples"}, Format: "text", Coverage: true})
	if err != nil {
		t.Fatalf("%v\n%s%s", err, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "PASS  ../testdata/examples/org-transfer.test.yaml") {
		t.Errorf("org example did not run:\n%s", out.String())
	}
}
