package flow

import (
	"strings"

	"github.com/flowctl/flowctl/internal/lazyre"
	"gopkg.in/yaml.v3"
)

// memoryKeyRe is what a memory key looks like, as the flow schema requires
// of an ask's variable: expressions read it as memory.KEY.
var memoryKeyRe = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// memoryKeyWords says what a memory key must be.
const memoryKeyWords = "must start with a letter or _ and hold only letters, digits and _"

// checkMemoryKeys reports the set keys and carry entries that are no
// memory key, at the key: the schema's words for an ask's variable, under
// the schema rule (JSON Schema cannot say it of a map's keys).
func checkMemoryKeys(ps *pass) {
	ps.blocks(func(b *Block) {
		if b.Type != TypeSet && b.Type != TypeTransfer {
			return // memory or carry on another type: the schema says it does not apply
		}
		for _, a := range b.Set {
			if msg := memoryKeyProblem(a.Key); msg != "" {
				ps.report(a.Pos, "memory key %q of block %s %s", a.Key, b.label(), msg)
			}
		}
		for i, key := range b.Carry {
			if msg := memoryKeyProblem(key); msg != "" && i < len(b.CarryPos) {
				ps.report(b.CarryPos[i], "carried memory key %q of block %s %s", key, b.label(), msg)
			}
		}
	})
}

// memoryKeyProblem says what is wrong with a memory key, or returns "".
func memoryKeyProblem(key string) string {
	switch {
	case memoryKeyRe.MatchString(key):
		return ""
	case key == "":
		return "is empty: name the key"
	case strings.HasPrefix(key, "memory.") && memoryKeyRe.MatchString(strings.TrimPrefix(key, "memory.")):
		return "starts with memory.: write " + strings.TrimPrefix(key, "memory.")
	}
	return memoryKeyWords
}

// scalarPositions returns the position of each scalar of a sequence, as
// builder.strings returns their values.
func scalarPositions(n *yaml.Node) []Pos {
	var out []Pos
	if n != nil && n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			if c = deref(c); isScalar(c) {
				out = append(out, posOf(c))
			}
		}
	}
	return out
}
