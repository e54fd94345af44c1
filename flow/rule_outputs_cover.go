package flow

import (
	"math"
	"slices"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// outputsCoverAll reports whether some output of b always matches, though
// each has a condition: then b never ends the chat for want of a way on.
// It is sound, not complete: it proves only conditions on one value it
// can read without a run-time error, joined by ||:
//   - input, memory.KEY or nlu.intent compared with == and != with one
//     literal (or != with two: one of them always holds);
//   - an ask's own variable, stored just before its outputs run: for
//     entity number, comparisons and in [...] with number literals whose
//     ranges leave no number out (memory.rating >= 4, memory.rating < 4);
//     for entity yes_no, true and false (memory.ok, !memory.ok).
func outputsCoverAll(b *Block) bool {
	if len(b.Outputs) == 0 {
		return false
	}
	c := &cover{b: b, values: map[string]*subjectCover{}}
	for _, o := range b.Outputs {
		if o.When == nil || o.When.Err() != nil {
			return o.When == nil
		}
		tree, err := parser.Parse(o.When.Source)
		if err != nil {
			return false
		}
		c.add(tree.Node)
	}
	for _, s := range c.values {
		if s.all() {
			return true
		}
	}
	return false
}

// cover gathers what a block's conditions cover, per value they test.
type cover struct {
	b      *Block
	values map[string]*subjectCover // by subject: input, memory.KEY, nlu.intent
}

// subjectCover is what the conditions on one value cover.
type subjectCover struct {
	kind    string    // EntityNumber, EntityYesNo, or "" (any value)
	eq, ne  []any     // literals compared with == and with !=
	ranges  []span    // the numbers covered (they matter for EntityNumber)
	ends    []float64 // the ranges' finite ends
	yes, no bool      // true, false covered (they matter for EntityYesNo)
}

// span is an interval of numbers; an open end at ±Inf is unbounded.
type span struct {
	lo, hi     float64
	loIn, hiIn bool
}

func (s span) has(x float64) bool {
	return (x > s.lo || (s.loIn && x == s.lo)) && (x < s.hi || (s.hiIn && x == s.hi))
}

// add records what condition n covers; a shape it does not know covers
// nothing.
func (c *cover) add(n ast.Node) {
	switch x := n.(type) {
	case *ast.BinaryNode:
		switch x.Operator {
		case "||", "or":
			c.add(x.Left)
			c.add(x.Right)
			return
		}
		c.compare(x)
	case *ast.UnaryNode:
		if x.Operator == "!" || x.Operator == "not" {
			if s := c.subject(x.Node); s != nil && s.kind == EntityYesNo {
				s.no = true
			}
		}
	default:
		if s := c.subject(n); s != nil && s.kind == EntityYesNo {
			s.yes = true
		}
	}
}

// flip is an operator with its operands swapped.
var flip = map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=", "in": ""}

func (c *cover) compare(x *ast.BinaryNode) {
	left, right, op := x.Left, x.Right, x.Operator
	if _, known := flip[op]; !known {
		return
	}
	s := c.subject(left)
	if s == nil && flip[op] != "" {
		left, right, op = right, left, flip[op]
		s = c.subject(left)
	}
	if s == nil {
		return
	}
	if op == "in" {
		arr, ok := right.(*ast.ArrayNode)
		if !ok {
			return
		}
		for _, e := range arr.Nodes {
			if v, ok := LiteralValue(e); ok {
				s.point(v)
			}
		}
		return
	}
	v, ok := LiteralValue(right)
	if !ok {
		return
	}
	switch op {
	case "==":
		s.eq = append(s.eq, v)
		s.point(v)
	case "!=":
		s.ne = append(s.ne, v)
		if f, ok := v.(float64); ok {
			s.addRange(span{math.Inf(-1), f, false, false}, f)
			s.addRange(span{f, math.Inf(1), false, false}, f)
		}
		if t, ok := v.(bool); ok {
			s.yes, s.no = s.yes || !t, s.no || t
		}
	default:
		f, ok := v.(float64)
		if !ok {
			return
		}
		inf := math.Inf(1)
		s.addRange(map[string]span{
			"<":  {-inf, f, false, false},
			"<=": {-inf, f, false, true},
			">":  {f, inf, false, false},
			">=": {f, inf, true, false},
		}[op], f)
	}
}

// point records a value == covers.
func (s *subjectCover) point(v any) {
	switch x := v.(type) {
	case float64:
		s.addRange(span{x, x, true, true}, x)
	case bool:
		s.yes, s.no = s.yes || x, s.no || !x
	}
}

func (s *subjectCover) addRange(r span, end float64) {
	s.ranges = append(s.ranges, r)
	s.ends = append(s.ends, end)
}

// all reports whether every value the subject can hold is covered.
func (s *subjectCover) all() bool {
	for _, v := range s.ne {
		if slices.ContainsFunc(s.eq, func(w any) bool { return w == v }) || slices.ContainsFunc(s.ne, func(w any) bool { return w != v }) {
			return true
		}
	}
	switch s.kind {
	case EntityYesNo:
		return s.yes && s.no
	case EntityNumber:
		return s.coversNumbers()
	}
	return false
}

// coversNumbers reports whether the ranges leave no number out: the union
// changes only at their ends, so checking each end and a number inside
// each gap between ends (and beyond them) decides it.
func (s *subjectCover) coversNumbers() bool {
	if len(s.ranges) == 0 {
		return false
	}
	ends := slices.Compact(slices.Sorted(slices.Values(s.ends)))
	probes := []float64{ends[0] - 1, ends[len(ends)-1] + 1}
	for i, e := range ends {
		probes = append(probes, e)
		if i > 0 {
			probes = append(probes, ends[i-1]+(e-ends[i-1])/2)
		}
	}
	for _, x := range probes {
		if !slices.ContainsFunc(s.ranges, func(r span) bool { return r.has(x) }) {
			return false
		}
	}
	return true
}

// subject returns the cover of value n when it is one the analysis knows:
// input, nlu.intent, memory.KEY (reading them cannot fail), typed when it
// is the ask's own variable.
func (c *cover) subject(n ast.Node) *subjectCover {
	var key, kind string
	switch {
	case isIdent(n, "input"):
		key = "input"
	case isMember(n, "nlu", "intent"):
		key = "nlu.intent"
	default:
		m, ok := n.(*ast.MemberNode)
		if !ok {
			return nil
		}
		prop, ok := m.Property.(*ast.StringNode)
		if !ok || !isIdent(m.Node, "memory") {
			return nil
		}
		key = "memory." + prop.Value
		if c.b.Type == TypeAsk && prop.Value == c.b.Variable && (c.b.Entity == EntityNumber || c.b.Entity == EntityYesNo) {
			kind = c.b.Entity
		}
	}
	s := c.values[key]
	if s == nil {
		s = &subjectCover{kind: kind}
		c.values[key] = s
	}
	return s
}

func isIdent(n ast.Node, name string) bool {
	id, ok := n.(*ast.IdentifierNode)
	return ok && id.Value == name
}

// LiteralValue returns the value of a string, bool or number literal
// (numbers as float64, with a leading - or +).
func LiteralValue(n ast.Node) (any, bool) {
	switch x := n.(type) {
	case *ast.StringNode:
		return x.Value, true
	case *ast.BoolNode:
		return x.Value, true
	case *ast.IntegerNode:
		return float64(x.Value), true
	case *ast.FloatNode:
		return x.Value, true
	case *ast.UnaryNode:
		v, ok := LiteralValue(x.Node)
		if f, isNum := v.(float64); ok && isNum && (x.Operator == "-" || x.Operator == "+") {
			if x.Operator == "-" {
				f = -f
			}
			return f, true
		}
	}
	return nil, false
}
