package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/simulate"
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

// TestTestOutputEscapesControls checks that a failing test's text output
// escapes control characters from the flow, the test file and the
// conversation, and that JSON output keeps the text exact.
func TestTestOutputEscapesControls(t *testing.T) {
	dir := t.TempDir()
	flowSrc, err := os.ReadFile("testdata/transcripts/controls.flow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "controls.flow.yaml"), flowSrc, 0o644); err != nil {
		t.Fatal(err)
	}
	test := "name: \"evil \\e[2J\\u202Ename\"\nflow: controls.flow.yaml\nsteps:\n  - bot: \"Hello\\r\"\n"
	if err := os.WriteFile(filepath.Join(dir, "c.test.yaml"), []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
	const bot = "Hi\x1b[2J there\rOVERWRITE \u202egnp.exe"
	for _, format := range []string{"text", "json"} {
		var out, errOut bytes.Buffer
		f := &Factory{Getenv: func(string) string { return "" }, Context: context.Background()}
		f.IO = newIOStreams(strings.NewReader(""), &out, &errOut, f.Getenv)
		if err := runTest(f, &testOptions{Paths: []string{dir}, Format: format}); err == nil {
			t.Fatalf("%s: the test passed", format)
		}
		got := out.String()
		if format == "json" {
			var r struct {
				Tests []simulate.TestResult `json:"tests"`
			}
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			if len(r.Tests) != 1 || len(r.Tests[0].Transcript) == 0 || r.Tests[0].Transcript[0] != "bot: "+bot+"  [\x1b[31mred | ok]" || r.Tests[0].Name != "evil \x1b[2J\u202ename" {
				t.Errorf("JSON does not keep the text exact: %+v", r.Tests)
			}
			continue
		}
		if strings.ContainsAny(got, "\x1b\r\u202e") {
			t.Errorf("raw control characters in the text output:\n%q", got)
		}
		for _, want := range []string{
			`FAIL  ` + filepath.Join(dir, "c.test.yaml") + `  evil \x1b[2J\u202ename`,
			`expected: "Hello\r"`,
			`got:      "Hi\x1b[2J there\rOVERWRITE \u202egnp.exe"`,
			`bot: Hi\x1b[2J there\rOVERWRITE \u202egnp.exe  [\x1b[31mred | ok]`,
		} {
			if !strings.Contains(got, want) {
				t.Errorf("text output lacks %s:\n%s", want, got)
			}
		}
	}
}
