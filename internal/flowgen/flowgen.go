// Package flowgen generates large, valid flow files for benchmarks and load
// tests: realistic mixes of say, ask, set and redirect blocks with
// conditions, interpolations and commands.
package flowgen

import (
	"fmt"
	"strings"
)

// Flow returns a valid flow file with one flow of n blocks (n >= 2). Every
// fifth block waits for input with three guarded outputs, every seventh is
// a redirect to one of queues (cycled), the rest ask, set and say; the last
// block ends the session. Most blocks carry an expression of their own (set
// values, conditions and interpolations vary with the block), as real flows
// do, so benchmarks do not just measure the expression cache.
func Flow(n int, queues []string) []byte { return Variant(n, queues, 0) }

// Variant is Flow with the numbers in its expressions shifted by seed, so
// that files generated with different seeds share no expressions.
func Variant(n int, queues []string, seed int) []byte {
	if n < 2 {
		n = 2
	}
	if len(queues) == 0 {
		queues = []string{"Support EN"}
	}
	var sb strings.Builder
	sb.Grow(n * 160)
	sb.WriteString("version: 1\nname: generated\nsession:\n  maxInactivity: 15m\nintents:\n")
	sb.WriteString("  billing: { keywords: [invoice, bill], patterns: ['(?i)charged twice'] }\n")
	sb.WriteString("  agent: { keywords: [agent, human], examples: [\"I want to talk to someone\"] }\n")
	sb.WriteString("flows:\n  main:\n    start: b0\n    blocks:\n")
	id := func(i int) string { return fmt.Sprintf("b%d", i) }
	for i := 0; i < n-1; i++ {
		next := id(i + 1)
		switch {
		case i%5 == 0:
			fmt.Fprintf(&sb, "      - id: %s\n        type: say\n        text: \"Step %d: how can I help, {memory.name}?\"\n        input: true\n        outputs:\n", id(i), i)
			fmt.Fprintf(&sb, "          - when: nlu.intent == \"billing\"\n            next: %s\n", next)
			fmt.Fprintf(&sb, "          - when: nlu.intent == \"agent\" && (memory.count ?? 0) > %d\n            next: %s\n", seed+i%97, next)
			fmt.Fprintf(&sb, "          - next: %s\n", next)
		case i%7 == 0:
			fmt.Fprintf(&sb, "      - id: %s\n        type: redirect\n        queue: %q\n        resume: true\n        onError: %s\n        next: %s\n", id(i), queues[(i/7)%len(queues)], next, next)
			fmt.Fprintf(&sb, "        commands:\n          SetExternalSessionAttributes:\n            customerName: \"{memory.name}\"\n            step: \"%d\"\n", i)
		case i%3 == 0:
			fmt.Fprintf(&sb, "      - id: %s\n        type: ask\n        text: \"Your name?\"\n        variable: name\n        entity: any\n        next: %s\n", id(i), next)
		case i%3 == 1:
			fmt.Fprintf(&sb, "      - id: %s\n        type: set\n        memory:\n          count: \"(memory.count ?? 0) + %d\"\n        next: %s\n", id(i), seed+i, next)
		default:
			fmt.Fprintf(&sb, "      - { id: %s, type: say, text: \"Noted {memory.count * %d} for {memory.name}.\", next: %s }\n", id(i), seed+i, next)
		}
	}
	fmt.Fprintf(&sb, "      - { id: %s, type: end, text: \"Goodbye!\" }\n", id(n-1))
	return []byte(sb.String())
}

// Growing returns a valid flow of pairs say-and-set blocks whose memory
// grows along the one path: each pair waits for a user message, then stores
// it under a key of its own. After the last pair the session ends. It is
// the worst case for an explorer that copies or prints memory per state.
func Growing(pairs int) []byte {
	var sb strings.Builder
	sb.Grow(pairs*120 + 200)
	sb.WriteString("version: 1\nname: growing\nflows:\n  main:\n    start: q0\n    blocks:\n")
	for i := range pairs {
		next := fmt.Sprintf("q%d", i+1)
		if i == pairs-1 {
			next = "done"
		}
		fmt.Fprintf(&sb, "      - { id: q%d, type: say, text: \"Question %d?\", input: true, next: s%d }\n", i, i, i)
		fmt.Fprintf(&sb, "      - { id: s%d, type: set, memory: { k%d: input }, next: %s }\n", i, i, next)
	}
	sb.WriteString("      - { id: done, type: end, text: \"Thanks!\" }\n")
	return []byte(sb.String())
}
