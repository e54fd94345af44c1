package schemas

import (
	"maps"
	"slices"
	"strings"
	"sync"
)

// FlowShape names the flow schema without its per-block-type field lists
// (the if/then conditions in $defs.block.allOf). Validating 10,000 blocks
// against six conditions each is slow, so the flow loader validates against
// FlowShape and checks the field lists itself with FlowBlockFields: both
// come from the one embedded flow schema.
const FlowShape = "flow-shape"

// FlowBlockFields returns, for each block type, the fields the flow schema
// allows on it, sorted.
func FlowBlockFields() map[string][]string {
	return flowFields().byType
}

// flowFacts is what the flow schema gives beside itself: the fields of
// each block type, and the FlowShape schema (decoded JSON).
type flowFacts struct {
	byType map[string][]string
	shape  map[string]any
}

// flowFields reads the flow schema once for its facts.
var flowFields = sync.OnceValue(func() flowFacts {
	doc, err := decodeSource("flow")
	if err != nil {
		panic(err) // the schema is embedded: a broken one fails every test
	}
	out := flowFacts{byType: map[string][]string{}}
	root := doc.(map[string]any)
	defs := root["$defs"].(map[string]any)
	block := defs["block"].(map[string]any)
	conds, _ := block["allOf"].([]any)
	for _, c := range conds {
		c, _ := c.(map[string]any)
		typ, _ := pointer(c, "/if/properties/type")["const"].(string)
		props, _ := pointer(c, "/then")["properties"].(map[string]any)
		out.byType[typ] = slices.Sorted(maps.Keys(props))
	}
	// The shape: the same tree but for a copy of the block schema without
	// allOf (and copies of the maps above it).
	shapeBlock := maps.Clone(block)
	delete(shapeBlock, "allOf")
	shapeDefs := maps.Clone(defs)
	shapeDefs["block"] = shapeBlock
	out.shape = maps.Clone(root)
	out.shape["$defs"] = shapeDefs
	out.shape["$id"] = URL(FlowShape)
	return out
})

// pointer follows a JSON pointer (without its "#") from a decoded schema
// object; nil when it leads nowhere or to something that is not an object.
func pointer(node any, ptr string) map[string]any {
	for _, seg := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		m, ok := node.(map[string]any)
		if !ok {
			return nil
		}
		node = m[ptrUnescaper.Replace(seg)]
	}
	m, _ := node.(map[string]any)
	return m
}
