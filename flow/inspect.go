package flow

import (
	"slices"

	"github.com/expr-lang/expr/ast"
)

// inspect returns the string literals a compiled expression compares
// nlu.intent with (==, !=, in [...]) and the memory keys it reads (at the
// offset of memory.KEY).
func inspect(node ast.Node) (intents, memory []literal) {
	v := &inspector{}
	ast.Walk(&node, v)
	return v.intents, v.memory
}

// literal is a string literal in an expression, at a rune offset.
type literal struct {
	Value string
	Off   int
}

type inspector struct {
	intents []literal
	memory  []literal
}

func (v *inspector) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.BinaryNode:
		switch x.Operator {
		case "==", "!=":
			if isMember(x.Left, "nlu", "intent") {
				v.addIntent(x.Right)
			} else if isMember(x.Right, "nlu", "intent") {
				v.addIntent(x.Left)
			}
		case "in", "not in":
			if isMember(x.Left, "nlu", "intent") {
				if arr, ok := x.Right.(*ast.ArrayNode); ok {
					for _, e := range arr.Nodes {
						v.addIntent(e)
					}
				}
			}
		}
	case *ast.MemberNode:
		id, ok := x.Node.(*ast.IdentifierNode)
		prop, ok2 := x.Property.(*ast.StringNode)
		if ok && ok2 && id.Value == "memory" {
			v.memory = append(v.memory, literal{Value: prop.Value, Off: id.Location().From})
		}
	}
}

func (v *inspector) addIntent(n ast.Node) {
	if s, ok := n.(*ast.StringNode); ok && s.Value != "" {
		v.intents = append(v.intents, literal{Value: s.Value, Off: s.Location().From})
	}
}

// isMember reports whether n is obj.prop (or obj["prop"]).
func isMember(n ast.Node, obj, prop string) bool {
	m, ok := n.(*ast.MemberNode)
	if !ok {
		return false
	}
	id, ok := m.Node.(*ast.IdentifierNode)
	p, ok2 := m.Property.(*ast.StringNode)
	return ok && ok2 && id.Value == obj && p.Value == prop
}

// readsAny reports whether the expression reads one of the names (input,
// nlu, ...) of its environment. An expression that did not compile may read
// anything.
func (e *Expr) readsAny(names ...string) bool {
	if e.program == nil {
		return e.err != nil
	}
	return ast.Find(e.program.Node(), func(n ast.Node) bool {
		id, ok := n.(*ast.IdentifierNode)
		return ok && slices.Contains(names, id.Value)
	}) != nil
}
