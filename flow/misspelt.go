package flow

import (
	"slices"
	"sync"

	textsuggest "github.com/flowctl/flowctl/internal/suggest"
	"github.com/flowctl/flowctl/schemas"
	"gopkg.in/yaml.v3"
)

// blockFields lists every field some block type takes.
var blockFields = sync.OnceValue(func() []string {
	var out []string
	for _, t := range BlockTypes {
		for _, f := range schemas.FlowBlockFields()[string(t)] {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	slices.Sort(out)
	return out
})

// misspeltFields returns the block fields that unknown keys of a block
// probably misspell, as the schema's "did you mean" names them.
func misspeltFields(keys []*yaml.Node) []string {
	var out []string
	for _, k := range keys {
		if slices.Contains(blockFields(), k.Value) {
			continue
		}
		if s := textsuggest.Closest(k.Value, blockFields()); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// mistyped reports whether an unknown key of the block probably misspells
// field: the schema reports it with a "did you mean", so a rule about the
// field being absent would report the one slip twice.
func (b *Block) mistyped(field string) bool { return slices.Contains(b.misspelt, field) }
