package flow_test

import (
	"slices"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

// TestOutputsCoverAll checks when a block whose outputs all have a
// condition can still end the chat silently (an end-of-flow exit): only
// when no proof says some output always matches.
func TestOutputsCoverAll(t *testing.T) {
	tests := []struct {
		name   string
		block  string
		silent bool // the block has an end-of-flow exit
	}{
		{"complementary number comparisons", `{ id: b, type: ask, text: "1-5?", variable: r, entity: number, outputs: [{ when: memory.r >= 4, next: z }, { when: memory.r < 4, next: z }] }`, false},
		{"reversed operands", `{ id: b, type: ask, text: "1-5?", variable: r, entity: number, outputs: [{ when: 4 <= memory.r, next: z }, { when: "memory[\"r\"] < 4", next: z }] }`, false},
		{"ranges with a point", `{ id: b, type: ask, text: "n?", variable: r, entity: number, outputs: [{ when: memory.r < 0, next: z }, { when: memory.r == 0 || memory.r > 10, next: z }, { when: "memory.r in [1, 2]", next: z }, { when: memory.r > 0 && memory.r <= 10, next: z }] }`, true},
		{"ranges that meet", `{ id: b, type: ask, text: "n?", variable: r, entity: number, outputs: [{ when: memory.r < 0, next: z }, { when: memory.r == 0 || memory.r > 10, next: z }, { when: memory.r >= 0.5, next: z }, { when: memory.r <= 0.5, next: z }] }`, false},
		{"a gap at the boundary", `{ id: b, type: ask, text: "1-5?", variable: r, entity: number, outputs: [{ when: memory.r > 4, next: z }, { when: memory.r < 4, next: z }] }`, true},
		{"not equal and its point", `{ id: b, type: ask, text: "n?", variable: r, entity: number, outputs: [{ when: memory.r != 3, next: z }, { when: memory.r == 3, next: z }] }`, false},
		{"negative literals", `{ id: b, type: ask, text: "n?", variable: r, entity: number, outputs: [{ when: memory.r <= -1, next: z }, { when: memory.r > -1, next: z }] }`, false},
		{"another key is not typed", `{ id: b, type: ask, text: "n?", variable: r, entity: number, outputs: [{ when: memory.s >= 4, next: z }, { when: memory.s < 4, next: z }] }`, true},
		{"an untyped answer", `{ id: b, type: ask, text: "n?", variable: r, entity: any, outputs: [{ when: memory.r >= 4, next: z }, { when: memory.r < 4, next: z }] }`, true},
		{"yes or no", `{ id: b, type: ask, text: "ok?", variable: ok, entity: yes_no, outputs: [{ when: memory.ok, next: z }, { when: "!memory.ok", next: z }] }`, false},
		{"yes or no by comparison", `{ id: b, type: ask, text: "ok?", variable: ok, entity: yes_no, outputs: [{ when: memory.ok == true, next: z }, { when: memory.ok != true, next: z }] }`, false},
		{"yes only", `{ id: b, type: ask, text: "ok?", variable: ok, entity: yes_no, outputs: [{ when: memory.ok, next: z }, { when: memory.ok == true, next: z }] }`, true},
		{"equal and not equal on any value", `{ id: b, type: set, memory: { x: 1 }, outputs: [{ when: memory.tier == "gold", next: z }, { when: memory.tier != "gold", next: z }] }`, false},
		{"input with or", `{ id: b, type: say, text: Hi, outputs: [{ when: input == "a" || nlu.intent == "x", next: z }, { when: input != "a", next: z }] }`, false},
		{"two literals not equal", `{ id: b, type: set, memory: { x: 1 }, outputs: [{ when: memory.t != "a" || memory.t != "b", next: z }] }`, false},
		{"different literals", `{ id: b, type: set, memory: { x: 1 }, outputs: [{ when: memory.tier == "gold", next: z }, { when: memory.tier != "vip", next: z }] }`, true},
		{"order comparisons on any value may fail", `{ id: b, type: set, memory: { x: 1 }, outputs: [{ when: memory.n >= 4, next: z }, { when: memory.n < 4, next: z }] }`, true},
		{"and is not understood", `{ id: b, type: set, memory: { x: 1 }, outputs: [{ when: memory.t == "a" && true, next: z }, { when: memory.t != "a", next: z }] }`, true},
		{"a nested key may fail", `{ id: b, type: set, memory: { x: 1 }, outputs: [{ when: memory.t.u == "a", next: z }, { when: memory.t.u != "a", next: z }] }`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "version: 1\nname: x\nflows:\n  main:\n    start: b\n    blocks:\n      - " + tt.block + "\n      - { id: z, type: end }\n"
			p := flow.Parse("x.flow.yaml", []byte(src))
			if fs := flow.Validate(p, flow.Options{}); func() bool { n, _ := flow.Count(fs); return n > 0 }() {
				t.Fatalf("invalid flow: %v", fs)
			}
			b := p.EntryFlow().Block("b")
			silent := slices.ContainsFunc(b.Exits(), func(x flow.Exit) bool { return x.Reason == flow.ReasonEndOfFlow })
			if silent != tt.silent {
				t.Errorf("end-of-flow exit = %v, want %v (exits %v)", silent, tt.silent, b.Exits())
			}
			warned := slices.ContainsFunc(flow.Validate(p, flow.Options{Enable: []string{flow.RuleSilentEnd}}), func(f flow.Finding) bool { return f.Rule == flow.RuleSilentEnd })
			if warned != tt.silent {
				t.Errorf("silent-end warning = %v, want %v", warned, tt.silent)
			}
		})
	}
}
