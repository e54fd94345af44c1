package schemas

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/flowctl/flowctl/internal/words"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"
)

// problems validates an invalid document with the jsonschema library and
// words its errors: one problem per leaf error (one per field for unknown
// fields), in position order, up to MaxProblems.
func problems(name string, doc *yaml.Node) ([]Problem, error) {
	sch, err := jsonSchema(name)
	if err != nil {
		return nil, err
	}
	v, err := ToJSON(doc)
	if err != nil {
		return nil, err
	}
	err = sch.Validate(v)
	if err == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil, err
	}
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	var all []found
	collect(ve, &locator{root: root, value: v}, &all)
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
	return out, nil
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

// printer formats numbers in messages as JSON Schema's do (1,000).
var printer = sync.OnceValue(func() *message.Printer { return message.NewPrinter(language.English) })

// collect walks the error tree and finds one problem per leaf (one per
// property for unknown properties); the alternatives of an anyOf or oneOf
// are sorted out by collectAlternatives.
func collect(ve *jsonschema.ValidationError, root *locator, out *[]found) {
	if len(ve.Causes) == 0 {
		n, _ := root.locate(ve.InstanceLocation)
		if k, ok := ve.ErrorKind.(*kind.AdditionalProperties); ok {
			fields := fieldsAt(ve.SchemaURL)
			for _, p := range k.Properties {
				kn := root.keyNode(n, p)
				f := foundAt(kn, func() Problem {
					return problemAt(kn, append(slices.Clone(ve.InstanceLocation), p), fmt.Sprintf("unknown field %q", p), p)
				})
				f.fields = fields
				*out = append(*out, f)
			}
			return
		}
		f := foundAt(n, func() Problem { return problemFor(ve, n) })
		if k, ok := ve.ErrorKind.(*kind.Required); ok {
			f.missing = k.Missing
		}
		*out = append(*out, f)
		return
	}
	switch ve.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
		if collectAlternatives(ve, root, out) {
			return
		}
	}
	for _, c := range ve.Causes {
		collect(c, root, out)
	}
}

// problemFor words a leaf error at its node n.
func problemFor(ve *jsonschema.ValidationError, n *yaml.Node) Problem {
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		p := problemAt(n, ve.InstanceLocation, missingFields(k.Missing), "")
		p.Kind = "required"
		return p
	case *kind.Enum:
		return problemAt(n, ve.InstanceLocation, fmt.Sprintf("got %s, want one of %s", describe(n), enumList(k.Want)), "")
	case *kind.Type:
		return problemAt(n, ve.InstanceLocation, fmt.Sprintf("got %s, want %s", k.Got, joinOr(k.Want)), "")
	case *kind.MinLength:
		if k.Want == 1 {
			return problemAt(n, ve.InstanceLocation, "must not be empty", "")
		}
	case *kind.MinItems:
		if k.Want == 1 {
			return problemAt(n, ve.InstanceLocation, "must not be empty", "")
		}
	case *kind.MinProperties:
		if k.Want == 1 {
			return problemAt(n, ve.InstanceLocation, "must not be empty", "")
		}
	case *kind.MaxProperties:
		if fields := fieldsAt(ve.SchemaURL); k.Want == 1 && len(fields) > 0 {
			p := problemAt(n, ve.InstanceLocation, fmt.Sprintf("got %d fields, want one of %s", k.Got, joinOr(fields)), "")
			p.Kind = "maxProperties"
			return p
		}
	case *kind.Pattern:
		p := problemAt(n, ve.InstanceLocation, fmt.Sprintf("%s does not match the pattern %s", describe(n), k.Want), "")
		p.Kind = "pattern"
		return p
	}
	return problemAt(n, ve.InstanceLocation, ve.ErrorKind.LocalizedString(printer()), "")
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
