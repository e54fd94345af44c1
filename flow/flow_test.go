package flow_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/golden"
)

// validateFile runs every rule on a file, enabling optional rules named in a
// leading "# enable: a,b" comment and the queue rules when X.queues.json
// (a flow.QueueReport) sits beside X.flow.yaml.
func validateFile(t *testing.T, path string) []flow.Finding {
	t.Helper()
	p, err := flow.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var opts flow.Options
	if src, _ := os.ReadFile(path); strings.HasPrefix(string(src), "# enable: ") {
		line := strings.SplitN(string(src), "\n", 2)[0]
		opts.Enable = strings.Split(strings.TrimPrefix(line, "# enable: "), ",")
	}
	qpath := strings.TrimSuffix(path, ".flow.yaml") + ".queues.json"
	if b, err := os.ReadFile(qpath); err == nil {
		var r flow.QueueReport
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s: %v", qpath, err)
		}
		opts.Queues = &r
	}
	fs := flow.Validate(p, opts)
	if opts.Queues != nil {
		fs = flow.SortFindings(append(fs, flow.QueueFindings(p, opts.Queues)...))
	}
	return fs
}

func formatFindings(fs []flow.Finding) string {
	var sb strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&sb, "%d:%d: %s: %s [%s]\n", f.Line, f.Column, f.Severity, f.Message, f.Rule)
	}
	return sb.String()
}

func flowFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.flow.yaml", "*.flow.yml"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatalf("no flow files in %s", dir)
	}
	return files
}

// TestOK: every file of the ok corpus and the shipped examples is clean.
func TestOK(t *testing.T) {
	files := append(flowFiles(t, "testdata/ok"), flowFiles(t, "../testdata/examples")...)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			if fs := validateFile(t, file); len(fs) > 0 {
				t.Errorf("want no findings, got:\n%s", formatFindings(fs))
			}
		})
	}
}

// TestErr compares each file of the err corpus with its .golden findings.
func TestErr(t *testing.T) {
	for _, file := range flowFiles(t, "testdata/err") {
		t.Run(filepath.Base(file), func(t *testing.T) {
			got := formatFindings(validateFile(t, file))
			golden.Check(t, strings.TrimSuffix(file, ".flow.yaml")+".golden", got)
			if got == "" {
				t.Error("an err fixture must have findings")
			}
		})
	}
}

// TestEveryRuleHasFixture: each rule id appears in some golden file of the
// err corpus (file-size is tested by TestFileSize).
func TestEveryRuleHasFixture(t *testing.T) {
	var all strings.Builder
	goldens, _ := filepath.Glob("testdata/err/*.golden")
	for _, g := range goldens {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	for _, r := range flow.Rules {
		if r.ID == flow.RuleFileSize {
			continue
		}
		if !strings.Contains(all.String(), "["+r.ID+"]\n") {
			t.Errorf("rule %s has no finding in testdata/err/*.golden", r.ID)
		}
	}
}
