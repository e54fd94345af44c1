package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// execFlowctl runs flowctl in-process with the given environment and
// returns stdout, stderr and the exit code. tty makes stdout a terminal.
func execFlowctl(t *testing.T, env map[string]string, tty bool, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	f := &Factory{Getenv: getenv, Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }, Context: context.Background()}
	f.IO = newIOStreams(strings.NewReader(""), &out, &errOut, getenv)
	f.IO.stdoutTTY = tty
	code := run(f, args)
	return out.String(), errOut.String(), code
}

// checkGolden compares got with testdata/golden/name (rewritten by -update).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd -update)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, d)
	}
}

// TestValidateFormats: every --format on the same two files, golden.
func TestValidateFormats(t *testing.T) {
	dir := filepath.Join("testdata", "validate", "flows")
	for _, format := range validateFormats {
		t.Run(format, func(t *testing.T) {
			out, errOut, code := execFlowctl(t, nil, false, "validate", "--format", format, dir)
			if code != ExitFindings {
				t.Fatalf("exit %d, want 1; stderr: %s", code, errOut)
			}
			checkGolden(t, "validate."+format, out)
			if format != "text" && !strings.Contains(errOut, "2 files checked: 4 errors, 3 warnings") {
				t.Errorf("machine formats put the summary on stderr, got %q", errOut)
			}
			switch format {
			case "json", "sarif":
				if !json.Valid([]byte(out)) {
					t.Error("output is not valid JSON")
				}
			case "junit":
				if err := xml.Unmarshal([]byte(out), new(junitSuites)); err != nil {
					t.Errorf("output is not valid JUnit XML: %v", err)
				}
			}
		})
	}
}

// TestValidateTextTerminal: on a terminal, each finding shows its source
// line and a caret; with colour forced, ANSI styles; NO_COLOR wins over auto.
func TestValidateTextTerminal(t *testing.T) {
	dir := filepath.Join("testdata", "validate", "flows", "bad.flow.yaml")
	out, _, _ := execFlowctl(t, map[string]string{"NO_COLOR": "1"}, true, "validate", dir)
	checkGolden(t, "validate.text-tty", out)
	if strings.Contains(out, "\x1b[") {
		t.Error("NO_COLOR output has escape sequences")
	}
	colored, _, _ := execFlowctl(t, nil, true, "validate", "--color", "always", dir)
	if !strings.Contains(colored, "\x1b[1;31merror\x1b[0m") {
		t.Errorf("--color always: want a bold red severity, got %q", colored)
	}
	auto, _, _ := execFlowctl(t, nil, false, "validate", dir)
	if strings.Contains(auto, "\x1b[") || strings.Contains(auto, " | ") {
		t.Error("piped output must be plain, without snippets")
	}
	forced, _, _ := execFlowctl(t, map[string]string{"CLICOLOR_FORCE": "1"}, false, "validate", dir)
	if !strings.Contains(forced, "\x1b[") {
		t.Error("CLICOLOR_FORCE=1 must colour piped output")
	}
	never, _, _ := execFlowctl(t, map[string]string{"CLICOLOR_FORCE": "1"}, true, "validate", "--color", "never", dir)
	if strings.Contains(never, "\x1b[") {
		t.Error("--color never must win over CLICOLOR_FORCE")
	}
}

func TestValidateJSONClean(t *testing.T) {
	out, _, code := execFlowctl(t, nil, false, "validate", "--format", "json", filepath.Join("testdata", "validate", "flows", "good.flow.yaml"))
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var got jsonFindings
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Findings == nil || len(got.Findings) != 0 || got.Summary != (jsonSummary{Files: 1, QueueChecks: "skipped"}) {
		t.Errorf("got %+v", got)
	}
	if !strings.Contains(out, `"findings": []`) {
		t.Error("no findings must be an empty array, not null")
	}
}

func TestGitHubEscaping(t *testing.T) {
	if got := escapeGitHubProperty("a,b:c%\n"); got != "a%2Cb%3Ac%25%0A" {
		t.Errorf("property: %q", got)
	}
	if got := escapeGitHubData("50% done\r\nnext"); got != "50%25 done%0D%0Anext" {
		t.Errorf("data: %q", got)
	}
}

func TestVersionAndSchema(t *testing.T) {
	out, _, code := execFlowctl(t, nil, false, "version")
	if code != 0 || !strings.HasPrefix(out, "flowctl ") {
		t.Errorf("version: %d %q", code, out)
	}
	out, _, code = execFlowctl(t, nil, false, "schema", "flow")
	if code != 0 || !json.Valid([]byte(out)) || !strings.Contains(out, `"title": "flowctl flow file"`) {
		t.Errorf("schema flow: %d %.80q", code, out)
	}
	_, errOut, code := execFlowctl(t, nil, false, "schema", "nope")
	if code != ExitUsage || !strings.Contains(errOut, `no schema "nope"`) {
		t.Errorf("schema nope: %d %q", code, errOut)
	}
	_, errOut, code = execFlowctl(t, nil, false, "schema")
	if code != ExitUsage || !strings.Contains(errOut, "schema takes one argument") {
		t.Errorf("schema: %d %q", code, errOut)
	}
}
