package flow

import (
	"slices"

	"github.com/expr-lang/expr/ast"
)

// inspect returns the string literals a type-checked expression compares
// nlu.intent with (==, !=, in [...]), the memory keys it reads (at the
// offset of memory.KEY) and the names it reads (identifiers: input, nlu,
// variables, ...), each once.
func inspect(node ast.Node) (intents, memory []literal, names []string) {
	v := &inspector{}
	ast.Walk(&node, v)
	return v.intents, v.memory, v.names
}

// literal is a string literal in an expression, at a rune offset.
type literal struct {
	Value string
	Off   int
}

type inspector struct {
	intents []literal
	memory  []literal
	names   []string
}

func (v *inspector) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.IdentifierNode:
		if !slices.Contains(v.names, x.Value) {
			v.names = append(v.names, x.Value)
		}
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
	if e.info == nil {
		return e.err != nil
	}
	return slices.ContainsFunc(e.info.names, func(n string) bool { return slices.Contains(names, n) })
}
