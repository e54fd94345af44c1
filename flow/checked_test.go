package flow_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
	"github.com/google/go-cmp/cmp"
)

// reference is CheckProject as it was, in one step: every rule with the
// queue report, then the queue findings.
func reference(p *flow.Project, opts flow.Options, r *flow.QueueReport) []flow.Finding {
	opts.Queues = r
	fs := flow.Validate(p, opts)
	if r == nil {
		return fs
	}
	return flow.SortFindings(append(fs, flow.QueueFindings(p, r)...))
}

// TestCheckedFindings: checking a file without its queue report and
// adding the report afterwards (what validate does, so that it can drop
// the model) gives what checking with the report gives, for every example
// and every queue report of the examples.
func TestCheckedFindings(t *testing.T) {
	reports := []*flow.QueueReport{nil, {}, {MissingPermissions: []string{"routing:queue:view"}, Client: "ci"}}
	qfiles, _ := filepath.Glob("testdata/err/*.queues.json")
	for _, q := range qfiles {
		b, err := os.ReadFile(q)
		if err != nil {
			t.Fatal(err)
		}
		var r flow.QueueReport
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		reports = append(reports, &r)
	}
	files := append(flowFiles(t, "testdata/err"), flowFiles(t, "testdata/ok")...)
	for _, file := range files {
		p, err := flow.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range reports {
			opts := flow.Options{Enable: []string{flow.RuleUndefinedMemory}}
			want := reference(p, opts, r)
			if diff := cmp.Diff(want, flow.CheckProject(p, opts, r)); diff != "" {
				t.Errorf("%s, report %d (-one step +two steps):\n%s", file, i, diff)
			}
			// Trimmed as validate trims it: the same findings, and the
			// source line of each.
			c := flow.Check(p, opts)
			c.Trim(r != nil, true)
			if diff := cmp.Diff(want, c.Findings(r)); diff != "" {
				t.Errorf("%s, report %d, trimmed (-one step +two steps):\n%s", file, i, diff)
			}
			for _, f := range want {
				if got, want := c.SourceLines()[f.Line], flow.SourceLine(p.Source, f.Line); got != want {
					t.Errorf("%s: line %d: %q, want %q", file, f.Line, got, want)
				}
			}
		}
	}
}

// TestCheckedFindingsCapped: the white-space rule's findings are capped
// after the report has settled some of them, as before.
func TestCheckedFindingsCapped(t *testing.T) {
	var src strings.Builder
	src.WriteString("version: 1\nname: ws\nflows:\n  main:\n    start: r0\n    blocks:\n")
	verdicts := map[string]flow.QueueVerdict{}
	const n = flow.MaxFindingsPerRule + 300
	for i := range n {
		name := fmt.Sprintf("Q%d ", i) // trailing space
		if i%3 == 0 {
			verdicts[name] = flow.QueueVerdict{Status: flow.QueueReachable}
		}
		fmt.Fprintf(&src, "      - { id: r%d, type: redirect, queue: %q, onError: end, next: r%d }\n", i, name, i+1)
	}
	fmt.Fprintf(&src, "      - { id: r%d, type: end }\n      - { id: end, type: end }\n", n)
	p := flow.Parse("ws.flow.yaml", []byte(src.String()))
	r := &flow.QueueReport{Verdicts: verdicts}
	got := flow.CheckProject(p, flow.Options{}, r)
	if diff := cmp.Diff(reference(p, flow.Options{}, r), got); diff != "" {
		t.Errorf("-one step +two steps:\n%s", diff)
	}
	if c := flow.Check(p, flow.Options{}); len(c.Findings(nil)) == len(c.Findings(r)) {
		t.Error("the report settled no finding")
	}
}
