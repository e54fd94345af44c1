package simulate

import (
	"maps"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"

	"github.com/flowctl/flowctl/flow"
)

// maxDerived bounds the messages derived from conditions at one wait, and
// maxAtoms the distinct atoms considered there.
const (
	maxDerived = 16
	maxAtoms   = 32
)

// inputs derives, for each block that waits, messages that decide the
// conditions the user's reply reaches: conditions on input until the bot
// waits again, and conditions anywhere on the memory keys the reply is
// stored under (an ask's variable, or a set of input on the way).
type inputs struct {
	nlu   *Recogniser
	conds map[*flow.Block][]atom // atoms of each block's output conditions
	byKey map[string][]atom      // atoms on memory.key, anywhere
	keyed []atom                 // the same, in file order, at most maxAtoms
	cache map[*flow.Block][]string
	trees map[*flow.Expr]ast.Node // memory assignments parsed so far
}

func newInputs(p *flow.Project, nlu *Recogniser) *inputs {
	in := &inputs{nlu: nlu, conds: map[*flow.Block][]atom{}, byKey: map[string][]atom{}, cache: map[*flow.Block][]string{}, trees: map[*flow.Expr]ast.Node{}}
	keyed := map[string]bool{} // atoms on memory keys already listed
	add := func(b *flow.Block, e *flow.Expr) {
		for _, a := range atomsOf(e) {
			in.conds[b] = append(in.conds[b], a)
			if id := a.String(); !a.subject.input && !keyed[id] {
				keyed[id] = true
				in.byKey[a.subject.key] = append(in.byKey[a.subject.key], a)
				if len(in.keyed) < maxAtoms {
					in.keyed = append(in.keyed, a)
				}
			}
		}
	}
	for _, f := range p.Flows {
		for _, b := range f.Blocks {
			for _, o := range b.Outputs {
				add(b, o.When)
			}
		}
	}
	for _, d := range in.decisiveSets(p) {
		add(d.block, d.assign.Value)
	}
	return in
}

// decisiveSet is a memory assignment whose value a condition reads.
type decisiveSet struct {
	block  *flow.Block
	assign *flow.Assign
}

// decisiveSets returns, in file order, the memory assignments whose key a
// condition reads, directly (set vip: memory.email endsWith "@vip.example",
// then when: memory.vip) or through other such assignments: their atoms
// decide the condition as its own do, so the explorer aims at them too.
func (in *inputs) decisiveSets(p *flow.Project) []decisiveSet {
	read := map[string]bool{} // memory keys that decide a condition
	var sets []decisiveSet
	assigning := map[string][]int{} // key -> the sets that assign it
	for _, f := range p.Flows {
		for _, b := range f.Blocks {
			for _, o := range b.Outputs {
				memoryKeys(parseExpr(o.When), read)
			}
			for _, a := range b.Set {
				if a.Value != nil {
					assigning[a.Key] = append(assigning[a.Key], len(sets))
					sets = append(sets, decisiveSet{b, a})
				}
			}
		}
	}
	work := slices.Sorted(maps.Keys(read))
	taken := make([]bool, len(sets))
	for len(work) > 0 {
		key := work[len(work)-1]
		work = work[:len(work)-1]
		for _, i := range assigning[key] {
			if taken[i] {
				continue
			}
			taken[i] = true
			more := map[string]bool{}
			memoryKeys(in.tree(sets[i].assign.Value), more)
			for k := range more {
				if !read[k] {
					read[k] = true
					work = append(work, k)
				}
			}
		}
	}
	var out []decisiveSet
	for i, d := range sets {
		if taken[i] {
			out = append(out, d)
		}
	}
	return out
}

// tree returns the parsed expression of a memory assignment, parsed once.
func (in *inputs) tree(e *flow.Expr) ast.Node {
	t, ok := in.trees[e]
	if !ok {
		t = parseExpr(e)
		in.trees[e] = t
	}
	return t
}

// memoryKeys adds the memory keys an expression reads (memory.key,
// memory["key"]) to keys.
func memoryKeys(n ast.Node, keys map[string]bool) {
	if n == nil {
		return
	}
	ast.Walk(&n, memoryKeyVisitor(keys))
}

type memoryKeyVisitor map[string]bool

func (v memoryKeyVisitor) Visit(n *ast.Node) {
	if m, ok := (*n).(*ast.MemberNode); ok {
		if s, ok := subjectOf(m); ok && !s.input {
			v[s.key] = true
		}
	}
}

// projection is how memory decides the conditions on memory: per atom,
// whether its key is unset, or the atom false or true.
func (in *inputs) projection(mem map[string]any) string {
	b := make([]byte, len(in.keyed))
	for i, a := range in.keyed {
		v, ok := mem[a.subject.key]
		switch {
		case !ok:
			b[i] = '-'
		case a.holds(v):
			b[i] = '1'
		default:
			b[i] = '0'
		}
	}
	return string(b)
}

// origin is what a memory key holds after a reply: the message itself
// (possibly through lower, trim and the like) or an ask's entity value.
type origin int

const (
	fromMessage origin = iota + 1
	fromEntity
)

// derived returns the messages for waiting block b, beyond base (the
// messages tried anyway): one per value of each condition's atoms that
// decides the conditions differently from every message before it.
func (in *inputs) derived(b *flow.Block, base []string) []string {
	if msgs, ok := in.cache[b]; ok {
		return msgs
	}
	seg, frontier := segment(b)
	keys := map[string]origin{}
	if b.Type == flow.TypeAsk && b.Variable != "" {
		keys[b.Variable] = fromEntity
	}
	in.storedKeys(keys, seg[1:], frontier)
	var onMessage, onEntity []atom
	for _, blk := range seg {
		for _, a := range in.conds[blk] {
			if a.subject.input {
				onMessage = append(onMessage, a)
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if keys[k] == fromEntity {
			onEntity = append(onEntity, in.byKey[k]...)
		} else {
			onMessage = append(onMessage, in.byKey[k]...)
		}
	}
	onMessage = distinct(onMessage, maxAtoms)
	onEntity = distinct(onEntity, maxAtoms-len(onMessage))
	seen := map[string]bool{}
	for _, m := range base {
		seen[in.signature(b, m, onMessage, onEntity)] = true
	}
	var out []string
	try := func(msg string) {
		if len(out) >= maxDerived || strings.TrimSpace(msg) == "" {
			return
		}
		if sig := in.signature(b, msg, onMessage, onEntity); !seen[sig] {
			seen[sig] = true
			out = append(out, msg)
		}
	}
	for _, a := range onMessage {
		for _, t := range a.targets() {
			try(t.raw)
		}
	}
	for _, a := range onEntity {
		for _, t := range a.targets() {
			for _, w := range wraps(t) {
				if v, ok := Entity(b, w); ok && t.hits(v) {
					try(w)
					break
				}
			}
		}
	}
	in.cache[b] = out
	return out
}

// distinct drops repeated atoms and keeps at most n.
func distinct(atoms []atom, n int) []atom {
	seen := map[string]bool{}
	var out []atom
	for _, a := range atoms {
		if id := a.String(); !seen[id] && len(out) < n {
			seen[id] = true
			out = append(out, a)
		}
	}
	return out
}

// signature is how a message decides the atoms (and the intent, and
// whether an ask accepts it).
func (in *inputs) signature(b *flow.Block, msg string, onMessage, onEntity []atom) string {
	var sb strings.Builder
	sb.WriteString(in.nlu.Recognise(msg).Intent)
	sb.WriteByte(0)
	value, valid := any(msg), true
	if b.Type == flow.TypeAsk {
		value, valid = Entity(b, msg)
	}
	bit := func(t bool) {
		if t {
			sb.WriteByte('1')
		} else {
			sb.WriteByte('0')
		}
	}
	bit(valid)
	for _, a := range onMessage {
		bit(a.holds(msg))
	}
	for _, a := range onEntity {
		bit(valid && a.holds(value))
	}
	return sb.String()
}

// wraps are messages that may carry a target through an ask's entity:
// the value itself, or inside an e-mail address or a phone number.
func wraps(t target) []string {
	s := t.raw
	if t.fn == "len" {
		n := len(s)
		out := []string{s, strings.Repeat("5", n)}
		if n > len("@example.com") {
			out = append(out, strings.Repeat("x", n-len("@example.com"))+"@example.com")
		}
		return out
	}
	return []string{s, "ann" + s, s + "@example.com", "ann@example" + s, s + "5550100", "+1555" + s}
}

// segment returns b and the blocks the bot runs after b's reply without
// waiting again (the reply is still input there), and the waiting blocks
// where that run stops (their memory assignments still see the reply).
func segment(b *flow.Block) (seg, frontier []*flow.Block) {
	seen := map[*flow.Block]bool{b: true}
	seg = []*flow.Block{b}
	for i := 0; i < len(seg); i++ {
		for _, e := range seg[i].Edges() {
			if e.To == nil || seen[e.To] {
				continue
			}
			seen[e.To] = true
			if e.To.WaitsForInput() {
				frontier = append(frontier, e.To)
				continue
			}
			seg = append(seg, e.To)
		}
	}
	return seg, frontier
}

// storedKeys adds the memory keys that blocks assign from the reply or
// from keys already known (memory.copy: memory.name, memory.k: lower(input)).
func (in *inputs) storedKeys(keys map[string]origin, blocks ...[]*flow.Block) {
	for changed := true; changed; {
		changed = false
		for _, bs := range blocks {
			for _, blk := range bs {
				for _, a := range blk.Set {
					if _, known := keys[a.Key]; known || a.Value == nil {
						continue
					}
					if o := originOf(in.tree(a.Value), keys); o != 0 {
						keys[a.Key] = o
						changed = true
					}
				}
			}
		}
	}
}

// originOf tells whether an expression is the reply (input, or a known
// key) seen through at most a few string builtins or a ?? default.
func originOf(n ast.Node, keys map[string]origin) origin {
	switch x := n.(type) {
	case nil:
		return 0
	case *ast.IdentifierNode:
		if x.Value == "input" {
			return fromMessage
		}
	case *ast.MemberNode, *ast.ChainNode:
		if s, ok := subjectOf(x); ok && !s.input && s.fn == "" {
			return keys[s.key]
		}
	case *ast.BinaryNode:
		if x.Operator == "??" {
			return originOf(x.Left, keys)
		}
	case *ast.BuiltinNode:
		if len(x.Arguments) == 1 && (x.Name == "lower" || x.Name == "upper" || x.Name == "trim" || x.Name == "string") {
			return originOf(x.Arguments[0], keys)
		}
	}
	return 0
}
