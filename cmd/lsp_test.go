package cmd

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/lsp"
	"github.com/flowctl/flowctl/lsp/lsptest"
)

// TestLSPDiagnosticsAreValidateFindings: for every flow file of the flow
// corpora, the language server's diagnostics are flowctl validate's JSON
// findings: same positions (converted from UTF-16), severities, rule ids
// and messages, in the same order.
func TestLSPDiagnosticsAreValidateFindings(t *testing.T) {
	var files []string
	err := filepath.WalkDir("../flow/testdata", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && flowFiles.match(d.Name()) {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) < 20 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	c := startLSP(t)
	for i, file := range files {
		checkIdentity(t, c, file, nil, i)
	}
}

// TestLSPQueueDiagnosticsAreValidateFindings: with an org file (--org for
// validate, the project config for the server) the queue findings agree
// too.
func TestLSPQueueDiagnosticsAreValidateFindings(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"acme.flow.yaml", "acme.org.yaml"} {
		b, err := os.ReadFile(filepath.Join("../testdata/examples", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "acme.flow.yaml" {
			// A queue in a division the client may not see, one that
			// differs in case, one that does not exist.
			b = []byte(strings.Replace(string(b), "queue: Billing Support", "queue: billing support", 1) +
				"      - { id: q1, type: redirect, queue: Sales EN, onError: sorry }\n      - { id: q2, type: redirect, queue: Nobody Home, onError: sorry }\n")
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "flowctl.yaml"), []byte("org: acme.org.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := startLSP(t)
	n := checkIdentity(t, c, filepath.Join(dir, "acme.flow.yaml"), []string{"--org", filepath.Join(dir, "acme.org.yaml")}, 0)
	if n < 3 {
		t.Errorf("only %d findings: the queue rules did not run", n)
	}
}

func startLSP(t *testing.T) *lsptest.Client {
	c := lsptest.Start(t, func(ctx context.Context, s io.ReadWriteCloser) error { return lsp.Serve(ctx, s, lsp.Options{}) })
	c.Initialize("")
	return c
}

// checkIdentity compares one file's validate findings with the server's
// diagnostics and returns how many there were.
func checkIdentity(t *testing.T, c *lsptest.Client, file string, flags []string, i int) int {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(src) {
		// The protocol carries text as JSON strings, which cannot hold
		// invalid UTF-8: the editor sends the text with U+FFFD instead.
		// Compare with validate's findings on that text.
		src = []byte(strings.ToValidUTF8(string(src), "\uFFFD"))
		file = filepath.Join(t.TempDir(), filepath.Base(file))
		if err := os.WriteFile(file, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stdout, stderr, _ := execFlowctl(t, nil, false, append(append([]string{"validate", "--format", "json"}, flags...), file)...)
	var report struct{ Findings []flow.Finding }
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("%s: validate: %v\n%s", file, err, stderr)
	}
	abs, _ := filepath.Abs(file)
	uri := "file://" + filepath.ToSlash(abs)
	c.Open(uri, string(src), i+1)
	pub := c.Diagnostics(uri, i+1)
	var got []string
	lines := strings.Split(string(src), "\n")
	for _, raw := range pub.Diagnostics {
		var d struct {
			Range    lsptest.Range
			Severity int
			Code     string
			Message  string
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatal(err)
		}
		sev := "error"
		if d.Severity == 2 {
			sev = "warning"
		}
		line := d.Range.Start.Line + 1
		col := runeColumn(lines, d.Range.Start)
		got = append(got, flow.Finding{File: file, Line: line, Column: col, Severity: flow.Severity(sev), Rule: d.Code, Message: d.Message}.String())
	}
	var want []string
	for _, f := range report.Findings {
		want = append(want, f.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\nlsp:\n%s\nvalidate:\n%s", file, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	return len(want)
}

// runeColumn converts a protocol position's UTF-16 character to flowctl's
// 1-based rune column.
func runeColumn(lines []string, p lsptest.Position) int {
	if p.Line >= len(lines) {
		return 1
	}
	ln := strings.TrimSuffix(lines[p.Line], "\r")
	units, col := 0, 1
	for _, r := range ln {
		if units >= p.Character {
			break
		}
		units += len(utf16.Encode([]rune{r}))
		col++
	}
	return col
}
