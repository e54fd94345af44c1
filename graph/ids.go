package graph

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// idAllocator gives every node a readable id made of [A-Za-z0-9_] from its
// flow, role and name. Two different sources that sanitise to the same id
// get _2, _3... in the order they are first asked for, so ids are stable
// for a given file.
type idAllocator struct {
	byKey map[[3]string]string
	used  map[string]bool
}

func newIDAllocator() *idAllocator {
	return &idAllocator{byKey: map[[3]string]string{}, used: map[string]bool{}}
}

func (a *idAllocator) lookup(flowName, role, name string) (string, bool) {
	id, ok := a.byKey[[3]string{flowName, role, name}]
	return id, ok
}

// id returns the id of (flow, role, name), making it on first use. Blocks
// use the empty role: "main_greet"; other nodes add it: "main__exit_inactivity".
func (a *idAllocator) id(flowName, role, name string) string {
	key := [3]string{flowName, role, name}
	if id, ok := a.byKey[key]; ok {
		return id
	}
	parts := []string{sanitizeID(flowName)}
	if role != "" {
		parts = append(parts, "_"+sanitizeID(role))
	}
	if name != "" || role == "" {
		parts = append(parts, sanitizeID(name))
	}
	base := strings.Join(parts, "_")
	id := base
	// Every id joins at least two parts with "_", so none is one of
	// Mermaid's keywords (end, graph, subgraph...).
	for i := 2; a.used[id]; i++ {
		id = fmt.Sprintf("%s_%d", base, i)
	}
	a.used[id] = true
	a.byKey[key] = id
	return id
}

// sanitizeID keeps ASCII letters, digits and _; other ASCII becomes _ and
// other runes u<hex>. An empty name becomes "x".
func sanitizeID(s string) string {
	if s == "" {
		return "x"
	}
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9'):
			sb.WriteRune(r)
		case r < utf8.RuneSelf:
			sb.WriteByte('_')
		default:
			fmt.Fprintf(&sb, "u%x", r)
		}
	}
	return sb.String()
}
