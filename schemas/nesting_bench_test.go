package schemas

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// benchFlow is a flow file of n blocks, the shape validate reads most.
func benchFlow(n int) []byte {
	var b bytes.Buffer
	b.WriteString("version: 1\nname: bench\nflows:\n  main:\n    start: b0\n    blocks:\n")
	for i := range n {
		fmt.Fprintf(&b, "      - id: b%d\n        type: say\n        text: \"Hello {memory.name}, step %d\"\n        input: true\n        outputs:\n          - { when: 'nlu.intent == \"agent\"', next: b%d }\n          - next: b%d\n", i, i, (i+1)%n, (i+2)%n)
	}
	return b.Bytes()
}

// BenchmarkCheckNesting compares the pre-scan with the yaml.v3 decode it
// guards, on a 10,000-block flow, and times it on hostile documents (each
// refused after a bounded prefix).
func BenchmarkCheckNesting(b *testing.B) {
	src := benchFlow(10_000)
	b.Run("flow-10k-blocks", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			if err := CheckNesting(src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("yaml.v3-decode-10k-blocks", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			var doc yaml.Node
			if err := yaml.Unmarshal(src, &doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	for name, hostile := range map[string]string{
		"brackets-200KB": "flows: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000),
		"dashes-200KB":   strings.Repeat("- ", 100_000),
		"braces-240KB":   strings.Repeat("{a: ", 60_000),
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if CheckNesting([]byte(hostile)) == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}
