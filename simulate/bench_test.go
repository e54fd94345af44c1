package simulate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/flowgen"
)

// genFlow writes a flow of about n blocks in groups of four: a say with
// three outputs, an ask with conditions on the number, a redirect with
// resume and onError, and a set.
func genFlow(n int) string {
	var sb strings.Builder
	sb.WriteString("version: 1\nname: generated\nintents:\n  a: { keywords: [alpha] }\n  b: { keywords: [beta], examples: [\"the beta one\"] }\nflows:\n  main:\n    start: s0\n    blocks:\n")
	groups := n / 4
	for i := range groups {
		next := fmt.Sprintf("s%d", i+1)
		if i == groups-1 {
			next = "done"
		}
		fmt.Fprintf(&sb, `      - { id: s%[1]d, type: say, text: "step %[1]d", input: true, outputs: [{ when: 'nlu.intent == "a"', next: q%[1]d }, { when: 'nlu.intent == "b"', next: r%[1]d }, { next: %[2]s }] }
      - { id: q%[1]d, type: ask, text: "age?", variable: v%[3]d, entity: number, outputs: [{ when: "memory.v%[3]d >= 18", next: %[2]s }, { next: r%[1]d }] }
      - { id: r%[1]d, type: redirect, queue: "Q%[4]d", resume: true, next: t%[1]d, onError: %[2]s, commands: { SetExternalSessionAttributes: { step: "{input}" } } }
      - { id: t%[1]d, type: set, memory: { n: %[1]d }, next: %[2]s }
`, i, next, i%5, i%7)
	}
	sb.WriteString("      - { id: done, type: end, text: Bye }\n")
	return sb.String()
}

func TestGeneratedFlowValidates(t *testing.T) {
	p := load(t, genFlow(500))
	if n := len(p.Flows[0].Blocks); n != 501 {
		t.Fatalf("%d blocks", n)
	}
	r, err := Explore(t.Context(), p, ExploreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Truncated || r.Coverage.Blocks.Covered != r.Coverage.Blocks.Total {
		t.Errorf("truncated %v, blocks %d/%d", r.Truncated, r.Coverage.Blocks.Covered, r.Coverage.Blocks.Total)
	}
}

// BenchmarkExploreGrowing explores flows whose memory grows along the path
// (a new key per user message): time and memory must grow linearly with the
// number of pairs.
func BenchmarkExploreGrowing(b *testing.B) {
	for _, n := range []int{1000, 2000, 4000} {
		b.Run(fmt.Sprintf("pairs=%d", n), func(b *testing.B) {
			p := load(b, string(flowgen.Growing(n)))
			b.ReportAllocs()
			for b.Loop() {
				r, err := Explore(b.Context(), p, ExploreOptions{})
				if err != nil || r.Truncated || r.States != n {
					b.Fatal(err, r.Truncated, r.States)
				}
			}
		})
	}
}

// BenchmarkExplore500 explores a generated 500-block flow.
func BenchmarkExplore500(b *testing.B) {
	p := load(b, genFlow(500))
	b.ReportAllocs()
	for b.Loop() {
		r, err := Explore(b.Context(), p, ExploreOptions{})
		if err != nil || r.Truncated {
			b.Fatal(err, r.Truncated)
		}
		b.ReportMetric(float64(r.States), "states")
	}
}

const benchTest = `name: bench %d
flow: acme.flow.yaml
steps:
  - bot: "Hi! How can I help?"
  - user: "agent please"
  - bot: { contains: "name" }
  - user: "Ann"
  - handover: { queue: Billing Support, attributes: { customerName: Ann } }
  - agent: join
  - user: "hello"
  - agent: { transfer: Support EN }
  - agent: join
  - agent: close
  - bot: "Thanks Ann. Anything else?"
  - user: "a person please"
  - bot: { matches: "name\\?$" }
  - user: "Bob"
  - handover: Billing Support
  - agent: join
  - agent: close
  - bot: "Thanks Bob. Anything else?"
  - wait: 20m
  - closed: inactivity
`

// BenchmarkSuite1000 runs 1,000 test files of 20 steps each.
func BenchmarkSuite1000(b *testing.B) {
	dir := b.TempDir()
	src, err := os.ReadFile("../testdata/examples/acme.flow.yaml")
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "acme.flow.yaml"), src, 0o644); err != nil {
		b.Fatal(err)
	}
	var files []string
	for i := range 1000 {
		f := filepath.Join(dir, fmt.Sprintf("t%04d.test.yaml", i))
		if err := os.WriteFile(f, fmt.Appendf(nil, benchTest, i), 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, f)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range RunSuite(files, SuiteOptions{}) {
			if r.Status != StatusPass {
				b.Fatalf("%s: %+v", r.File, r.Failure)
			}
		}
	}
}

var _ = flow.Load
