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

// TestPipeline: loading on two cores (as for a large file: the nesting
// check while yaml.v3 decodes, expressions checked while the builder
// reads) gives the findings of loading on one.
func TestPipeline(t *testing.T) {
	files := append(flowFiles(t, "testdata/err"), flowFiles(t, "testdata/ok")...)
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		flow.ResetExprCache()
		want := flow.Validate(flow.Parse(file, src), flow.Options{})
		restore := flow.PipelineFrom(0)
		flow.ResetExprCache()
		got := flow.Validate(flow.Parse(file, src), flow.Options{})
		restore()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-one core +two):\n%s", file, diff)
		}
	}
}
