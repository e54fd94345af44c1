package flow

import (
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

var ruleUnknownIntent = &Rule{
	ID: RuleUnknownIntent, Severity: SeverityWarning,
	Summary: "a condition compares nlu.intent with an intent not declared under intents",
	check: func(ps *pass) {
		declared := map[string]bool{}
		for _, in := range ps.p.Intents {
			declared[in.Name] = true
		}
		ps.blocks(func(b *Block) {
			for _, e := range b.exprs() {
				if e.Err() != nil || !strings.Contains(e.Source, "intent") {
					continue
				}
				for _, name := range comparedIntents(e.Source) {
					if !declared[name] {
						ps.report(e.Pos, "nlu.intent is compared with %q, which is not declared under intents%s", name, suggest(name, intentNames(ps.p)))
					}
				}
			}
		})
	},
}

func intentNames(p *Project) []string {
	out := make([]string, len(p.Intents))
	for i, in := range p.Intents {
		out[i] = in.Name
	}
	return out
}

// comparedIntents returns the string literals an expression compares
// nlu.intent with (==, !=, in [...]).
func comparedIntents(src string) []string {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil
	}
	v := &intentVisitor{}
	ast.Walk(&tree.Node, v)
	return v.names
}

type intentVisitor struct{ names []string }

func (v *intentVisitor) Visit(n *ast.Node) {
	bin, ok := (*n).(*ast.BinaryNode)
	if !ok {
		return
	}
	switch bin.Operator {
	case "==", "!=":
		if isIntent(bin.Left) {
			v.addString(bin.Right)
		} else if isIntent(bin.Right) {
			v.addString(bin.Left)
		}
	case "in", "not in":
		if isIntent(bin.Left) {
			if arr, ok := bin.Right.(*ast.ArrayNode); ok {
				for _, e := range arr.Nodes {
					v.addString(e)
				}
			}
		}
	}
}

func (v *intentVisitor) addString(n ast.Node) {
	if s, ok := n.(*ast.StringNode); ok && s.Value != "" {
		v.names = append(v.names, s.Value)
	}
}

// isIntent reports whether n is nlu.intent (or nlu["intent"]).
func isIntent(n ast.Node) bool {
	m, ok := n.(*ast.MemberNode)
	if !ok {
		return false
	}
	id, ok := m.Node.(*ast.IdentifierNode)
	prop, ok2 := m.Property.(*ast.StringNode)
	return ok && ok2 && id.Value == "nlu" && prop.Value == "intent"
}
