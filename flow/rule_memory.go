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
				if e.Err() != nil {
					return
				}
				for _, key := range memoryReads(e.Source) {
					if !assigned[key] {
						ps.report(e.Pos, "memory.%s is read here but no ask variable or set block assigns it", key)
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

// memoryReads returns the memory keys an expression reads.
func memoryReads(src string) []string {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil
	}
	v := &memoryVisitor{}
	ast.Walk(&tree.Node, v)
	return v.keys
}

type memoryVisitor struct{ keys []string }

func (v *memoryVisitor) Visit(n *ast.Node) {
	m, ok := (*n).(*ast.MemberNode)
	if !ok {
		return
	}
	id, ok := m.Node.(*ast.IdentifierNode)
	prop, ok2 := m.Property.(*ast.StringNode)
	if ok && ok2 && id.Value == "memory" {
		v.keys = append(v.keys, prop.Value)
	}
}
