package cmd

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/golden"
	"github.com/flowctl/flowctl/report"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestValidateFormats: every --format on the same two files, golden.
func TestValidateFormats(t *testing.T) {
	dir := filepath.Join("testdata", "validate", "flows")
	for _, format := range report.ValidationFormats {
		t.Run(format, func(t *testing.T) {
			out, errOut, code := execFlowctl(t, nil, false, "validate", "--format", format, dir)
			if code != ExitFindings {
				t.Fatalf("exit %d, want 1; stderr: %s", code, errOut)
			}
			golden.Check(t, filepath.Join("testdata", "golden", "validate."+format), out)
			if format != "text" && !strings.Contains(errOut, "2 files checked: 4 errors, 3 warnings") {
				t.Errorf("machine formats put the summary on stderr, got %q", errOut)
			}
			switch format {
			case "json", "sarif":
				if !json.Valid([]byte(out)) {
					t.Error("output is not valid JSON")
				}
			case "junit":
				if err := xml.Unmarshal([]byte(out), new(report.JUnitSuites)); err != nil {
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
	golden.Check(t, filepath.Join("testdata", "golden", "validate.text-tty"), out)
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
	var got report.JSONFindings
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Findings == nil || len(got.Findings) != 0 || got.Summary != (report.JSONSummary{Files: 1, QueueChecks: "skipped"}) {
		t.Errorf("got %+v", got)
	}
	if !strings.Contains(out, `"findings": []`) {
		t.Error("no findings must be an empty array, not null")
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

// warnFlow is a valid flow with one warning (redirect-no-error-path at 7:15).
const warnFlow = `version: 1
name: warn
flows:
  main:
    start: h
    blocks:
      - { id: h, type: redirect, queue: Support }
`

// unreadableDir makes a directory with a readable flow (one warning) and a
// dangling symlink named like a flow; it returns the directory and the
// symlink's path.
func unreadableDir(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "w.flow.yaml"), []byte(warnFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling.flow.yaml")
	if err := os.Symlink(filepath.Join(dir, "nowhere.yaml"), dangling); err != nil {
		t.Skipf("symlinks: %v", err)
	}
	return dir, dangling
}

// TestValidateUnreadable: a file that cannot be read is never shown as a
// pass; every machine format marks it, text leaves it to stderr; exit 3.
func TestValidateUnreadable(t *testing.T) {
	dir, dangling := unreadableDir(t)
	wantMsg := "cannot read " + dangling + ": is a broken symbolic link (to " + filepath.Join(dir, "nowhere.yaml") + ", which does not exist)"
	run := func(t *testing.T, format string) string {
		out, errOut, code := execFlowctl(t, nil, false, "validate", "--format", format, dir)
		if code != ExitFailure {
			t.Fatalf("exit %d, want 3; stderr: %s", code, errOut)
		}
		if !strings.Contains(errOut, wantMsg) {
			t.Errorf("stderr lacks %q: %s", wantMsg, errOut)
		}
		return out
	}
	t.Run("text", func(t *testing.T) {
		out := run(t, "text")
		if strings.Contains(out, "dangling") {
			t.Errorf("text output names the unreadable file on stdout: %s", out)
		}
		if !strings.Contains(out, "2 files checked: 0 errors, 1 warning, 1 unreadable;") {
			t.Errorf("summary: %s", out)
		}
	})
	t.Run("json", func(t *testing.T) {
		var got report.JSONFindings
		if err := json.Unmarshal([]byte(run(t, "json")), &got); err != nil {
			t.Fatal(err)
		}
		want := report.JSONSummary{Files: 2, Warnings: 1, QueueChecks: "skipped", Unreadable: 1}
		if got.Summary != want {
			t.Errorf("summary %+v, want %+v", got.Summary, want)
		}
		if d := cmp.Diff([]report.JSONFailure{{File: dangling, Message: wantMsg}}, got.Failures); d != "" {
			t.Errorf("failures (-want +got):\n%s", d)
		}
	})
	t.Run("junit", func(t *testing.T) {
		var got report.JUnitSuites
		if err := xml.Unmarshal([]byte(run(t, "junit")), &got); err != nil {
			t.Fatal(err)
		}
		if got.Errors != 1 || got.Failures != 0 || got.Tests != 2 {
			t.Errorf("totals: tests %d failures %d errors %d", got.Tests, got.Failures, got.Errors)
		}
		for _, s := range got.Suites {
			if s.Name != dangling {
				continue
			}
			if s.Errors != 1 || len(s.Cases) != 1 || s.Cases[0].Error == nil || s.Cases[0].Error.Message != wantMsg {
				t.Errorf("suite of the unreadable file: %+v", s)
			}
			return
		}
		t.Errorf("no suite for %s", dangling)
	})
	t.Run("sarif", func(t *testing.T) {
		out := run(t, "sarif")
		checkSARIFSchema(t, out)
		inv := sarifInvocation(t, out)
		if inv.ExecutionSuccessful || inv.ExitCode != ExitFailure {
			t.Errorf("invocation: %+v", inv)
		}
		if len(inv.Notifications) != 1 || inv.Notifications[0].Level != "error" || inv.Notifications[0].Message.Text != wantMsg {
			t.Errorf("notifications: %+v", inv.Notifications)
		}
	})
	t.Run("github", func(t *testing.T) {
		out := run(t, "github")
		want := "::error file=" + filepath.ToSlash(dangling) + "::" + wantMsg + "\n" // nothing to escape in either
		if !strings.Contains(out, want) {
			t.Errorf("want %q in\n%s", want, out)
		}
	})
}

type sarifInv struct {
	ExecutionSuccessful bool `json:"executionSuccessful"`
	ExitCode            int  `json:"exitCode"`
	Notifications       []struct {
		Level   string `json:"level"`
		Message struct {
			Text string `json:"text"`
		} `json:"message"`
	} `json:"toolExecutionNotifications"`
}

// sarifInvocation returns the one invocation of the one run.
func sarifInvocation(t *testing.T, out string) sarifInv {
	t.Helper()
	var doc struct {
		Runs []struct {
			ColumnKind  string     `json:"columnKind"`
			Invocations []sarifInv `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 || len(doc.Runs[0].Invocations) != 1 {
		t.Fatalf("want one run with one invocation: %s", out)
	}
	if doc.Runs[0].ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q, want unicodeCodePoints (flowctl counts code points)", doc.Runs[0].ColumnKind)
	}
	return doc.Runs[0].Invocations[0]
}

// sarifSchema is the part of the SARIF 2.1.0 JSON Schema that covers what
// flowctl emits, with the official schema's constraints for those parts
// (the full schema is not available offline).
const sarifSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$comment": "The parts of SARIF 2.1.0 flowctl validate emits, with the constraints of the official schema (sarif-schema-2.1.0.json) for them.",
  "type": "object",
  "required": ["version", "runs"],
  "properties": {
    "version": { "const": "2.1.0" },
    "$schema": { "type": "string", "format": "uri" },
    "runs": {
      "type": "array", "minItems": 1,
      "items": {
        "type": "object",
        "required": ["tool", "results"],
        "properties": {
          "columnKind": { "enum": ["utf16CodeUnits", "unicodeCodePoints"] },
          "tool": {
            "type": "object", "required": ["driver"],
            "properties": {
              "driver": {
                "type": "object", "required": ["name", "rules"],
                "properties": {
                  "name": { "type": "string", "minLength": 1 },
                  "version": { "type": "string" },
                  "informationUri": { "type": "string", "format": "uri" },
                  "rules": {
                    "type": "array",
                    "items": {
                      "type": "object", "required": ["id"],
                      "properties": {
                        "id": { "type": "string", "minLength": 1 },
                        "shortDescription": { "$ref": "#/$defs/multiformatMessage" },
                        "helpUri": { "type": "string", "format": "uri" },
                        "defaultConfiguration": {
                          "type": "object",
                          "properties": { "level": { "$ref": "#/$defs/level" } }
                        }
                      }
                    }
                  }
                }
              }
            }
          },
          "invocations": {
            "type": "array",
            "items": {
              "type": "object", "required": ["executionSuccessful"],
              "properties": {
                "executionSuccessful": { "type": "boolean" },
                "exitCode": { "type": "integer" },
                "toolExecutionNotifications": {
                  "type": "array",
                  "items": {
                    "type": "object", "required": ["message"],
                    "properties": {
                      "level": { "$ref": "#/$defs/level" },
                      "message": { "$ref": "#/$defs/message" },
                      "locations": { "type": "array", "items": { "$ref": "#/$defs/location" } }
                    }
                  }
                }
              }
            }
          },
          "results": {
            "type": "array",
            "items": {
              "type": "object", "required": ["ruleId", "level", "message", "locations"],
              "properties": {
                "ruleId": { "type": "string", "minLength": 1 },
                "ruleIndex": { "type": "integer", "minimum": -1 },
                "level": { "$ref": "#/$defs/level" },
                "message": { "$ref": "#/$defs/message" },
                "locations": {
                  "type": "array", "minItems": 1,
                  "items": {
                    "allOf": [
                      { "$ref": "#/$defs/location" },
                      { "required": ["physicalLocation"],
                        "properties": { "physicalLocation": { "required": ["artifactLocation", "region"] } } }
                    ]
                  }
                }
              }
            }
          }
        }
      }
    }
  },
  "$defs": {
    "level": { "enum": ["none", "note", "warning", "error"] },
    "message": {
      "type": "object", "required": ["text"],
      "properties": { "text": { "type": "string" } }
    },
    "multiformatMessage": {
      "type": "object", "required": ["text"],
      "properties": { "text": { "type": "string" } }
    },
    "location": {
      "type": "object",
      "properties": {
        "physicalLocation": {
          "type": "object",
          "required": ["artifactLocation"],
          "properties": {
            "artifactLocation": {
              "type": "object", "required": ["uri"],
              "properties": { "uri": { "type": "string", "format": "uri-reference" } }
            },
            "region": {
              "type": "object", "required": ["startLine", "startColumn"],
              "properties": {
                "startLine": { "type": "integer", "minimum": 1 },
                "startColumn": { "type": "integer", "minimum": 1 },
                "endLine": { "type": "integer", "minimum": 1 }
              }
            }
          }
        }
      }
    }
  }
}
`

// checkSARIFSchema validates SARIF output against sarifSchema.
func checkSARIFSchema(t *testing.T, out string) {
	t.Helper()
	schemaDoc, err := jsonschema.UnmarshalJSON(strings.NewReader(sarifSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("SARIF output does not match the schema: %#v", err)
	}
}

// TestValidateSARIF: the schema holds, columns are code points, and the
// invocation's exit code is the process's, --strict included.
func TestValidateSARIF(t *testing.T) {
	dir := t.TempDir()
	warn := filepath.Join(dir, "w.flow.yaml")
	if err := os.WriteFile(warn, []byte(warnFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		success bool
	}{
		{"findings", []string{filepath.Join("testdata", "validate", "flows")}, ExitFindings, true},
		{"warnings", []string{warn}, ExitOK, true},
		{"warnings strict", []string{"--strict", warn}, ExitFindings, true},
		{"clean", []string{filepath.Join("testdata", "validate", "flows", "good.flow.yaml")}, ExitOK, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := execFlowctl(t, nil, false, append([]string{"validate", "--format", "sarif"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, errOut)
			}
			checkSARIFSchema(t, out)
			inv := sarifInvocation(t, out)
			if inv.ExitCode != code || inv.ExecutionSuccessful != tc.success || len(inv.Notifications) != 0 {
				t.Errorf("invocation %+v, want exitCode %d, executionSuccessful %v", inv, code, tc.success)
			}
		})
	}
}

// TestValidateSARIFURIs: validate's SARIF names files by percent-encoded
// URI references.
func TestValidateSARIFURIs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my flows")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "w w.flow.yaml"), []byte(warnFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, _ := execFlowctl(t, nil, false, "validate", "--format", "sarif", dir)
	checkSARIFSchema(t, out)
	if !strings.Contains(out, `my%20flows/w%20w.flow.yaml"`) || strings.Contains(out, "my flows") {
		t.Errorf("URIs are not percent-encoded:\n%s", out)
	}
}

// TestValidateTextLine: without colour a text finding line is exactly
// Finding.String(), the form every other output quotes.
func TestValidateTextLine(t *testing.T) {
	file := filepath.Join("testdata", "validate", "flows", "bad.flow.yaml")
	out, _, _ := execFlowctl(t, nil, false, "validate", file)
	p, err := flow.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	fs := flow.SortFindings(flow.Validate(p, flow.Options{}))
	for _, f := range fs {
		want.WriteString(f.String() + "\n")
	}
	if len(fs) == 0 || !strings.HasPrefix(out, want.String()) {
		t.Errorf("text lines differ from Finding.String():\n%s\nwant prefix:\n%s", out, want.String())
	}
}

// TestFindFilesDedupe: a file named in several spellings is checked once.
func TestFindFilesDedupe(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("d", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("d", "x.flow.yaml"), []byte(warnFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := findFiles(context.Background(), []string{"./d/x.flow.yaml", "d", "d/", "d/../d/x.flow.yaml"}, flowFiles)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"./d/x.flow.yaml"}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestFileKindStem(t *testing.T) {
	for path, want := range map[string]string{
		"flows/acme.flow.yaml": "acme",
		"acme.flow.yml":        "acme",
		"dir/x.yaml":           "x",
		"x.yml":                "x",
		"x.test.yaml":          "x.test",
		"noext":                "noext",
	} {
		if got := flowFiles.stem(path); got != want {
			t.Errorf("stem(%q) = %q, want %q", path, got, want)
		}
	}
	if got := testFiles.stem("t/a.test.yaml"); got != "a" {
		t.Errorf("test stem %q", got)
	}
}

// TestValidateTextTerminalQueueFindings: the queue findings (known only
// once every file is checked and its model dropped) and a bad project
// config's findings show their source lines too, on a terminal.
func TestValidateTextTerminalQueueFindings(t *testing.T) {
	dir := t.TempDir()
	src := "version: 1\nname: q\nflows:\n  main:\n    start: r\n    blocks:\n" +
		"      - id: r\n        type: redirect\n        queue: \"Nope Queue\"\n        onError: bye\n" +
		"      - { id: bye, type: end, text: \"Bye {memory.x\" }\n"
	if err := os.WriteFile(filepath.Join(dir, "q.flow.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "flowctl.yaml"), []byte("strict: maybe\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	org, err := filepath.Abs(filepath.Join("..", "testdata", "examples", "acme.org.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := execFlowctl(t, map[string]string{"NO_COLOR": "1"}, true, "validate", "--config", filepath.Join(dir, "flowctl.yaml"), "--org", org, "--client", "Bot integration", dir)
	if code != ExitFindings {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	for _, want := range []string{
		"[queue-not-found]\n 9 |         queue: \"Nope Queue\"\n   |                ^\n",
		"[expr-syntax]\n 11 |       - { id: bye, type: end, text: \"Bye {memory.x\" }\n",
		"[schema]\n 1 | strict: maybe\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestTuneGC: validate collects by its heap budget only when the
// environment sets neither GOGC nor GOMEMLIMIT, and puts the collector's
// settings back.
func TestTuneGC(t *testing.T) {
	prevPercent := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prevPercent)
	prevLimit := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetMemoryLimit(prevLimit)
	big := filepath.Join(t.TempDir(), "big.flow.yaml")
	if err := os.WriteFile(big, make([]byte, 3<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	files := []string{big, filepath.Join("testdata", "no-such.flow.yaml")}
	for _, env := range []map[string]string{{}, {"GOGC": "50"}, {"GOMEMLIMIT": "1GiB"}, {"GOGC": "off"}} {
		restore := tuneGC(func(k string) string { return env[k] }, files)
		wantPercent, wantLimit := 100, int64(math.MaxInt64)
		if len(env) == 0 {
			wantPercent, wantLimit = -1, heapPerInputByte*3<<20
		}
		percent := debug.SetGCPercent(-1)
		debug.SetGCPercent(percent)
		if percent != wantPercent {
			t.Errorf("%v: GC percent %d during validate, want %d", env, percent, wantPercent)
		}
		if limit := debug.SetMemoryLimit(-1); limit != wantLimit {
			t.Errorf("%v: memory limit %d during validate, want %d", env, limit, wantLimit)
		}
		restore()
		if got := debug.SetGCPercent(100); got != 100 {
			t.Errorf("%v: GC percent %d after validate, want 100 back", env, got)
		}
		if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
			t.Errorf("%v: memory limit %d after validate, want none back", env, got)
		}
	}
}

// TestHeapBudget: the budget follows the largest files checked at once,
// and is never below its minimum.
func TestHeapBudget(t *testing.T) {
	tests := []struct {
		sizes    []int64
		parallel int
		want     int64
	}{
		{nil, 2, minHeapBudget},
		{[]int64{16 << 10, 16 << 10, 20 << 10}, 2, minHeapBudget},
		{[]int64{1 << 20, 4 << 20, 2 << 20, 3 << 20}, 2, heapPerInputByte * 7 << 20},
		{[]int64{1 << 20, 4 << 20}, 8, heapPerInputByte * 5 << 20},
	}
	for _, tt := range tests {
		if got := heapBudget(tt.sizes, tt.parallel); got != tt.want {
			t.Errorf("heapBudget(%v, %d) = %d, want %d", tt.sizes, tt.parallel, got, tt.want)
		}
	}
}

// TestQueueChecksRun: what validate keeps of each file follows
// resolveQueues' choice to check queues or skip them.
func TestQueueChecksRun(t *testing.T) {
	org := filepath.Join("..", "testdata", "examples", "acme.org.yaml")
	creds := map[string]string{"GENESYSCLOUD_OAUTHCLIENT_ID": "id", "GENESYSCLOUD_OAUTHCLIENT_SECRET": "s", "GENESYSCLOUD_REGION": "eu-central-1"}
	tests := []struct {
		env  map[string]string
		opts queueCheckOptions
		want bool
	}{
		{env: nil, want: false},
		{env: creds, opts: queueCheckOptions{Offline: true}, want: false},
		{env: creds, want: true},
		{env: nil, opts: queueCheckOptions{orgFlags: orgFlags{OrgFile: org, Client: "Bot integration"}}, want: true},
		{env: creds, opts: queueCheckOptions{Offline: true, orgFlags: orgFlags{OrgFile: org, Client: "Bot integration"}}, want: true},
	}
	for i, tt := range tests {
		f, _ := newTestFactory(tt.env)
		if got := queueChecksRun(f, tt.opts); got != tt.want {
			t.Errorf("case %d: %v, want %v", i, got, tt.want)
		}
		if tt.want && tt.opts.OrgFile == "" {
			continue // online: not contacted here
		}
		_, mode, err := resolveQueues(context.Background(), f, tt.opts, []string{"Support EN"})
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if (mode != report.QueueChecksSkipped) != tt.want {
			t.Errorf("case %d: resolveQueues mode %q, queueChecksRun %v", i, mode, tt.want)
		}
	}
}
