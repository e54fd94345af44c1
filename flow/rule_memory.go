package flow

import (
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

var ruleUndefinedMemory = &Rule{
	ID: RuleUndefinedMemory, Severity: SeverityWarning, Optional: true,
	Summary: "an expression reads memory.KEY that no ask variable or set block assigns (heuristic: memory may come from elsewhere)",
	check: func(ps *pass) {
		assigned := map[string]bool{}
		ps.blocks(func(b *Block) {
			if b.Variable != "" {
				assigned[b.Variable] = true
			}
			for _, a := range b.Set {
				assigned[a.Key] = true
			}
		})
		ps.blocks(func(b *Block) {
			check := func(e *Expr) {
				if e.info == nil {
					return
				}
				var safe map[int]bool
				for _, key := range e.info.memory {
					if assigned[key.Value] {
						continue
					}
					if safe == nil {
						safe = defaultedReads(e)
					}
					if !safe[key.Off] {
						ps.report(e.at(key.Off), "memory.%s is read here but no ask variable or set block assigns it", key.Value)
					}
				}
			}
			for _, e := range b.exprs() {
				check(e)
			}
			for _, t := range b.templates() {
				for _, e := range t.Exprs() {
					check(e)
				}
			}
		})
	},
}

// defaultedReads returns where the memory reads of e start (the offset of
// memory) that are the left side of ?? (memory.firstName ?? "there",
// memory.a?.b ?? 0): the expression expects the key may be unset and says
// what to use then.
func defaultedReads(e *Expr) map[int]bool {
	safe := map[int]bool{}
	tree, err := parser.Parse(e.Source)
	if err != nil {
		return safe
	}
	ast.Walk(&tree.Node, defaultVisitor(safe))
	return safe
}

type defaultVisitor map[int]bool

func (v defaultVisitor) Visit(n *ast.Node) {
	b, ok := (*n).(*ast.BinaryNode)
	if !ok || b.Operator != "??" {
		return
	}
	// The left side may read a key, then fields of it with ?. (nil-safe).
	left := b.Left
	for {
		if c, ok := left.(*ast.ChainNode); ok {
			left = c.Node
		}
		m, ok := left.(*ast.MemberNode)
		if !ok {
			return
		}
		if _, ok := m.Property.(*ast.StringNode); ok && isIdent(m.Node, "memory") {
			v[m.Node.Location().From] = true
			return
		}
		if !m.Optional {
			return
		}
		left = m.Node
	}
}
