package schemas

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/internal/words"
	"gopkg.in/yaml.v3"
)

// problems checks an invalid document again, explaining (valid.go), and
// words what failed: one problem per failed keyword (one per field for
// unknown fields), in position order, up to MaxProblems.
func problems(name string, value *yaml.Node) ([]Problem, error) {
	sch, err := compiled(name)
	if err != nil {
		return nil, err
	}
	c := checker{explain: true}
	e := c.check(sch, value)
	if e == nil {
		return nil, nil
	}
	return word(e), nil
}

// word words a failure tree.
func word(e *verr) []Problem {
	var all []found
	collect(e, &all)
	// Problems are worded in position order, up to MaxProblems (and all
	// those at the position where the cut falls, so that the output is
	// the same whatever the order of the checks); the rest are counted.
	slices.SortStableFunc(all, func(a, b found) int {
		if a.line != b.line {
			return a.line - b.line
		}
		return a.col - b.col
	})
	cut := min(len(all), MaxProblems)
	for cut < len(all) && all[cut].line == all[cut-1].line && all[cut].col == all[cut-1].col {
		cut++
	}
	words := make([]worded, 0, cut)
	for _, f := range all[:cut] {
		words = append(words, worded{Problem: f.problem(), fields: f.fields, missing: f.missing})
	}
	out := suggestFields(words)
	slices.SortFunc(out, func(a, b Problem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		if a.Col != b.Col {
			return a.Col - b.Col
		}
		return strings.Compare(a.Message, b.Message)
	})
	out = slices.Compact(out)
	if rest := len(all) - cut; rest > 0 {
		out = append(out, Problem{Line: all[cut].line, Col: all[cut].col, Message: fmt.Sprintf("%d more problems from here on are not shown (at most %d are)", rest, MaxProblems), Kind: "more"})
	}
	return out
}

// found is a problem located, to be worded when it is reported.
type found struct {
	line, col int
	problem   func() Problem
	fields    []string // unknown property: the fields declared there
	missing   []string // required: the missing fields
}

// worded is a found problem, worded, with what suggestFields needs.
type worded struct {
	Problem
	fields  []string
	missing []string
}

func foundAt(n *yaml.Node, problem func() Problem) found {
	f := found{problem: problem}
	if n != nil {
		f.line, f.col = n.Line, n.Column
	}
	return f
}

// collect walks the failure tree and finds one problem per failed
// keyword (one per field for unknown fields); the alternatives of an anyOf
// or oneOf are sorted out by collectAlternatives.
func collect(e *verr, out *[]found) {
	switch e.fail {
	case failGroup:
		for _, c := range e.causes {
			collect(c, out)
		}
		return
	case failAnyOf, failOneOf:
		collectAlternatives(e, out)
		return
	case failUnknown:
		fields := e.s.fields()
		for i, name := range e.names {
			kn := e.keys[i]
			f := foundAt(kn, func() Problem {
				return problemAt(kn, append(slices.Clone(e.loc), name), fmt.Sprintf("unknown field %q", name), name)
			})
			f.fields = fields
			*out = append(*out, f)
		}
		return
	}
	f := foundAt(e.n, func() Problem { return problemFor(e) })
	if e.fail == failRequired {
		f.missing = e.names
	}
	*out = append(*out, f)
}

// problemFor words the failure of one keyword at its value.
func problemFor(e *verr) Problem {
	n, s := e.n, e.s
	switch e.fail {
	case failRequired:
		p := problemAt(n, e.loc, missingFields(e.names), "")
		p.Kind = "required"
		return p
	case failEnum:
		return problemAt(n, e.loc, fmt.Sprintf("got %s, want one of %s", describe(n), enumList(s.enum)), "")
	case failType:
		return problemAt(n, e.loc, fmt.Sprintf("got %s, want %s", e.t, joinOr(s.types.names())), "")
	case failConst:
		return problemAt(n, e.loc, "value must be "+display(s.constV), "")
	case failMinLength:
		if e.want == 1 {
			return problemAt(n, e.loc, "must not be empty", "")
		}
		return problemAt(n, e.loc, fmt.Sprintf("got %s, want at least %d", words.Plural(e.got, "character"), e.want), "")
	case failMinItems:
		if e.want == 1 {
			return problemAt(n, e.loc, "must not be empty", "")
		}
		return problemAt(n, e.loc, fmt.Sprintf("got %s, want at least %d", words.Plural(e.got, "item"), e.want), "")
	case failMinProps:
		if e.want == 1 {
			return problemAt(n, e.loc, "must not be empty", "")
		}
		return problemAt(n, e.loc, fmt.Sprintf("got %s, want at least %d", words.Plural(e.got, "field"), e.want), "")
	case failMaxProps:
		if fields := s.fields(); e.want == 1 && len(fields) > 0 {
			p := problemAt(n, e.loc, fmt.Sprintf("got %d fields, want one of %s", e.got, joinOr(fields)), "")
			p.Kind = "maxProperties"
			return p
		}
		return problemAt(n, e.loc, fmt.Sprintf("got %s, want at most %d", words.Plural(e.got, "field"), e.want), "")
	case failPattern:
		p := problemAt(n, e.loc, fmt.Sprintf("%s does not match the pattern %s", describe(n), s.pattern), "")
		p.Kind = "pattern"
		return p
	case failUnique:
		return problemAt(n, e.loc, fmt.Sprintf("items %d and %d are the same; list each once", e.got, e.want), "")
	case failOneOfMany:
		return problemAt(n, e.loc, fmt.Sprintf("fits more than one of the forms allowed here (%d and %d)", e.got, e.want), "")
	}
	return problemAt(n, e.loc, "no value is allowed here", "")
}

// display shows a const value: strings quoted, others as JSON writes them.
func display(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	if v == nil {
		return "null"
	}
	return fmt.Sprint(v)
}

func problemAt(n *yaml.Node, loc []string, msg, key string) Problem {
	p := Problem{Path: pathString(loc), Message: msg, Key: key}
	if n != nil {
		p.Line, p.Col = n.Line, n.Column
		if n.Kind == yaml.ScalarNode {
			p.Value = n.Value
		}
	}
	return p
}

func describe(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	if n.Kind == yaml.ScalarNode {
		return strconv.Quote(n.Value)
	}
	return kindName(n)
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return "a value"
}

func enumList(vals []any) string {
	var s []string
	for _, v := range vals {
		s = append(s, fmt.Sprintf("%q", fmt.Sprint(v)))
	}
	return strings.Join(s, ", ")
}

// missingFields words the required fields a mapping lacks: missing
// required field "a", or fields "a" and "b", or "a", "b" and "c".
func missingFields(names []string) string {
	if len(names) == 1 {
		return "missing required field " + strconv.Quote(names[0])
	}
	return "missing required fields " + words.QuotedList(names, "and")
}

// joinOr lists the forms a value may take, each once: a, b or c.
func joinOr(ws []string) string {
	if len(ws) == 0 {
		return "another type"
	}
	return words.List(slices.Compact(slices.Clone(ws)), "or")
}
