package flow_test

import (
	"testing"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/flowgen"
	"gopkg.in/yaml.v3"
)

// TestGeneratedFlowIsValid keeps the benchmark input honest.
func TestGeneratedFlowIsValid(t *testing.T) {
	if fs := flow.Validate(flow.Parse("gen.flow.yaml", flowgen.Flow(500, nil)), flow.Options{}); len(fs) > 0 {
		t.Fatalf("generated flow has findings: %v", fs[:min(len(fs), 5)])
	}
}

// BenchmarkValidate10k measures loading and validating a 10,000-block flow
// against yaml.v3 alone decoding the same bytes into a yaml.Node, in the
// same run; the x-yaml metric is the ratio (target: at most 3). The
// expression cache is emptied before each run.
func BenchmarkValidate10k(b *testing.B) {
	src := flowgen.Flow(10_000, []string{"Billing Support", "Support EN"})
	b.SetBytes(int64(len(src)))
	var yamlTime, flowTime time.Duration
	for b.Loop() {
		t0 := time.Now()
		var n yaml.Node
		if err := yaml.Unmarshal(src, &n); err != nil {
			b.Fatal(err)
		}
		flow.ResetExprCache() // cold, as one CLI run is
		t1 := time.Now()
		if fs := flow.Validate(flow.Parse("gen.flow.yaml", src), flow.Options{}); len(fs) != 0 {
			b.Fatal(fs[0])
		}
		t2 := time.Now()
		yamlTime += t1.Sub(t0)
		flowTime += t2.Sub(t1)
	}
	b.ReportMetric(float64(flowTime)/float64(yamlTime), "x-yaml")
	b.ReportMetric(float64(yamlTime.Milliseconds())/float64(b.N), "yaml-ms/op")
	b.ReportMetric(float64(flowTime.Milliseconds())/float64(b.N), "validate-ms/op")
}
