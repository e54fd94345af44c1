package lsp

import (
	"slices"
	"sync"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/schemas"
)

// blockFields are the fields a block of type typ takes: those the flow
// schema allows on it, without next and outputs where the flow's graph
// never takes them (the unused-edge rule's cases: next and outputs of an
// end or a transfer, outputs of a redirect). An unknown type takes id and
// type.
func blockFields(typ flow.BlockType) []string {
	fields, ok := blockFieldsByType()[typ]
	if !ok {
		return []string{"id", "type"}
	}
	return fields
}

var blockFieldsByType = sync.OnceValue(func() map[flow.BlockType][]string {
	out := map[flow.BlockType][]string{}
	for typ, fields := range schemas.FlowBlockFields() {
		bt := flow.BlockType(typ)
		out[bt] = slices.DeleteFunc(slices.Clone(fields), func(f string) bool {
			return (f == "next" || f == "outputs") && !takesEdge(bt, f)
		})
	}
	return out
})

// takesEdge reports whether a block of type typ with field (next or
// outputs) set has an edge that field makes and that is taken, as the
// flow's graph sees it.
func takesEdge(typ flow.BlockType, field string) bool {
	probe := &flow.Block{Type: typ, Resume: true}
	want := flow.EdgeNext
	if field == "outputs" {
		probe.Outputs, want = []*flow.Output{{Next: flow.Ref{Name: "x"}}}, flow.EdgeOutput
	} else {
		probe.Next = &flow.Ref{Name: "x"}
	}
	for _, e := range probe.Edges() {
		if (e.Kind == want || want == flow.EdgeNext && e.Kind == flow.EdgeResume) && !e.Never {
			return true
		}
	}
	return false
}
