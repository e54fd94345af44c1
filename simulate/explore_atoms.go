package simulate

import (
	"fmt"
	"regexp"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/flowctl/flowctl/flow"
)

// An atom is a test of one value the user's input decides (input, or a
// memory key) against literals, found in a condition: memory.n < 0,
// lower(memory.email) endsWith "@vip.example", input contains "x",
// memory.tier in ["gold", "vip"], len(input) > 20. The explorer turns atoms
// into messages that make them true, and false, so that the outputs they
// guard are taken.
type atom struct {
	subject subject
	op      string // ==, !=, <, <=, >, >=, startsWith, endsWith, contains, matches, in
	values  []any  // string, float64 or bool literals (one, or the in list)
	re      *regexp.Regexp
}

// String identifies the atom: atoms with equal strings test alike.
func (a atom) String() string {
	return fmt.Sprintf("%+v %s %#v", a.subject, a.op, a.values)
}

// subject is input or memory.key, seen through at most one builtin fn.
type subject struct {
	input bool
	key   string
	fn    string // "", len, lower, upper, trim, string, int or float
}

var subjectFuncs = map[string]bool{"len": true, "lower": true, "upper": true, "trim": true, "string": true, "int": true, "float": true}

// parseExpr returns the syntax tree of an expression that compiled.
func parseExpr(e *flow.Expr) ast.Node {
	if e == nil || e.Err() != nil {
		return nil
	}
	tree, err := parser.Parse(e.Source)
	if err != nil {
		return nil
	}
	return tree.Node
}

// atomsOf returns the atoms of a condition.
func atomsOf(e *flow.Expr) []atom {
	node := parseExpr(e)
	if node == nil {
		return nil
	}
	v := &atomVisitor{}
	ast.Walk(&node, v)
	return v.atoms
}

type atomVisitor struct{ atoms []atom }

// flipped is the operator with its operands swapped (0 > memory.n is
// memory.n < 0).
var flipped = map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

func (v *atomVisitor) Visit(n *ast.Node) {
	b, ok := (*n).(*ast.BinaryNode)
	if !ok {
		return
	}
	left, right, op := b.Left, b.Right, b.Operator
	s, ok := subjectOf(left)
	if !ok {
		if f, can := flipped[op]; can {
			left, right, op = right, left, f
			s, ok = subjectOf(left)
		}
	}
	if !ok {
		return
	}
	a := atom{subject: s, op: op}
	switch op {
	case "==", "!=", "<", "<=", ">", ">=", "startsWith", "endsWith", "contains", "matches":
		lit, ok := flow.LiteralValue(right)
		if !ok {
			return
		}
		a.values = []any{lit}
		if op == "matches" {
			src, _ := lit.(string)
			re, err := regexp.Compile(src)
			if err != nil {
				return
			}
			a.re = re
		}
	case "in":
		arr, ok := right.(*ast.ArrayNode)
		if !ok {
			return
		}
		for _, e := range arr.Nodes {
			if lit, ok := flow.LiteralValue(e); ok {
				a.values = append(a.values, lit)
			}
		}
	default:
		return
	}
	if len(a.values) > 0 {
		v.atoms = append(v.atoms, a)
	}
}

// subjectOf recognises input, memory.key (memory["key"], memory?.key), the
// same with ?? default, and one builtin around them.
func subjectOf(n ast.Node) (subject, bool) {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		return subject{input: true}, x.Value == "input"
	case *ast.MemberNode:
		id, ok := x.Node.(*ast.IdentifierNode)
		prop, ok2 := x.Property.(*ast.StringNode)
		if ok && ok2 && id.Value == "memory" {
			return subject{key: prop.Value}, true
		}
	case *ast.ChainNode:
		return subjectOf(x.Node)
	case *ast.BinaryNode:
		if x.Operator == "??" {
			return subjectOf(x.Left)
		}
	case *ast.BuiltinNode:
		if subjectFuncs[x.Name] && len(x.Arguments) == 1 {
			s, ok := subjectOf(x.Arguments[0])
			if ok && s.fn == "" {
				s.fn = x.Name
				return s, true
			}
		}
	}
	return subject{}, false
}
