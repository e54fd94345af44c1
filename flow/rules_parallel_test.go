package flow_test

import (
	"os"
	"testing"

	"github.com/flowctl/flowctl/flow"
	"github.com/google/go-cmp/cmp"
)

// TestRulesInParallel: rules run concurrently (as for a large project)
// find what they find one after the other. Run with -race, it also shows
// that the rules only read the model.
func TestRulesInParallel(t *testing.T) {
	files := append(flowFiles(t, "testdata/err"), flowFiles(t, "testdata/ok")...)
	opts := flow.Options{Enable: []string{flow.RuleUndefinedMemory}}
	for _, file := range files {
		p, err := flow.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		want := flow.Validate(p, opts)
		restore := flow.ParallelRulesFrom(0)
		got := flow.Validate(p, opts)
		restore()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-sequential +parallel):\n%s", file, diff)
		}
	}
}

// TestExprPipe: expressions checked while the file is read (as for a
// large file) give the findings of checking them afterwards.
func TestExprPipe(t *testing.T) {
	files := append(flowFiles(t, "testdata/err"), flowFiles(t, "testdata/ok")...)
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		flow.ResetExprCache()
		want := flow.Validate(flow.Parse(file, src), flow.Options{})
		restore := flow.PipeExprsFrom(0)
		flow.ResetExprCache()
		got := flow.Validate(flow.Parse(file, src), flow.Options{})
		restore()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-afterwards +while reading):\n%s", file, diff)
		}
	}
}
