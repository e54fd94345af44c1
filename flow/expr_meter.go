package flow

import (
	"reflect"
	"regexp"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/conf"
)

// expr-lang's VM has no step count and checks no string size, so the typed
// tree is rewritten before it is compiled: operations whose cost depends on
// their operands go through the functions below, which charge the
// evaluation's meter (reached through $env) and check sizes before they
// allocate. Type checking has run already, so compile errors and the
// information the rules take from the tree are unchanged.
//
// The functions' names hold a space: no expression can call them.
const (
	fnStep    = "flowctl step"
	fnAdd     = "flowctl add"
	fnIn      = "flowctl in"
	fnScan    = "flowctl scan"
	fnMatches = "flowctl matches"
	fnCharge  = "flowctl charge"
	fnBuiltin = "flowctl " // + builtin name
)

// meteredBuiltins are the builtins whose cost or result grows with their
// arguments.
var meteredBuiltins = []string{
	"string", "upper", "lower", "trim", "trimPrefix", "trimSuffix", "split", "splitAfter",
	"replace", "repeat", "join", "indexOf", "lastIndexOf", "hasPrefix", "hasSuffix",
	"max", "min", "mean", "median", "toJSON", "fromJSON", "toBase64", "fromBase64",
	"take", "keys", "values", "toPairs", "fromPairs", "reverse", "uniq", "concat",
	"flatten", "sort",
}

// addMeterFunctions registers the metered functions in a compiler
// configuration.
func addMeterFunctions(c *conf.Config) {
	add := func(name string, fn func(args ...any) (any, error)) {
		c.Functions[name] = &builtin.Function{Name: name, Func: fn}
	}
	add(fnStep, meteredStep)
	add(fnAdd, meteredAdd)
	add(fnIn, meteredIn)
	add(fnScan, meteredScan)
	add(fnMatches, meteredMatches)
	add(fnCharge, chargeResult)
	for _, name := range meteredBuiltins {
		if i, ok := builtin.Index[name]; ok {
			add(fnBuiltin+name, meteredBuiltin(builtin.Builtins[i]))
		}
	}
}

// meterTree rewrites a type-checked tree to charge the meter.
func meterTree(node *ast.Node) {
	ast.Walk(node, meterPatch{})
}

type meterPatch struct{}

func (meterPatch) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.BinaryNode:
		switch x.Operator {
		case "+":
			if mayBeString(x.Left) || mayBeString(x.Right) {
				*n = meterCall(fnAdd, x, x.Left, x.Right)
			}
		case "in":
			if _, literal := x.Right.(*ast.ArrayNode); !literal {
				*n = meterCall(fnIn, x, x.Left, x.Right)
			}
		case "contains", "startsWith", "endsWith":
			op := &ast.StringNode{Value: x.Operator}
			op.SetType(reflect.TypeOf(""))
			*n = meterCall(fnScan, x, op, x.Left, x.Right)
		case "matches":
			pattern := x.Right
			if s, ok := x.Right.(*ast.StringNode); ok {
				re, err := regexp.Compile(s.Value)
				if err != nil {
					return // the compiler reports it
				}
				pattern = &ast.ConstantNode{Value: re}
			}
			*n = meterCall(fnMatches, x, x.Left, pattern)
		}
	case *ast.CallNode:
		// A method of a value (time's Format, say): its result is
		// charged as memory once made.
		*n = meterCall(fnCharge, x, x)
	case *ast.BuiltinNode:
		for _, name := range meteredBuiltins {
			if x.Name == name {
				*n = meterCall(fnBuiltin+name, x, x.Arguments...)
				return
			}
		}
		for _, a := range x.Arguments {
			if p, ok := a.(*ast.PredicateNode); ok {
				meterLoop(x.Name, p)
			}
		}
	}
}

// meterLoop makes each iteration of a loop cost one step per node of its
// body, and two more when the loop collects a list (the VM's stack grows).
func meterLoop(name string, p *ast.PredicateNode) {
	n := 1 + countNodes(p.Node)
	switch name {
	case "map", "filter", "groupBy", "sortBy":
		n += 2
	}
	cost := &ast.IntegerNode{Value: n}
	cost.SetType(reflect.TypeOf(0))
	p.Node = meterCall(fnStep, p.Node, cost, p.Node)
}

// meterCall is a call of the metered function fn with the evaluation's Env
// and args, standing for orig (its position and type).
func meterCall(fn string, orig ast.Node, args ...ast.Node) *ast.CallNode {
	call := &ast.CallNode{
		Callee:    &ast.IdentifierNode{Value: fn},
		Arguments: append([]ast.Node{&ast.IdentifierNode{Value: "$env"}}, args...),
	}
	call.SetLocation(orig.Location())
	call.SetNature(*orig.Nature())
	return call
}

func mayBeString(n ast.Node) bool {
	k := n.Type().Kind()
	return k == reflect.String || k == reflect.Interface
}

func countNodes(n ast.Node) int {
	c := nodeCounter(0)
	ast.Walk(&n, &c)
	return int(c)
}

type nodeCounter int

func (c *nodeCounter) Visit(*ast.Node) { *c++ }
