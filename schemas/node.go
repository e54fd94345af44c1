package schemas

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"
)

// Limits that keep hostile documents from exhausting memory or stack.
const (
	MaxDepth        = 128     // nesting of mappings and sequences
	MaxAliasExpands = 100_000 // nodes reached through aliases, in total
	MaxNodes        = 500_000 // nodes of one file, documents included
	MaxProblems     = 1000    // schema problems worded for one document
)

// Problem is one schema violation at a position in a YAML file.
type Problem struct {
	Line, Col int
	Path      string // dotted path of the offending value, e.g. flows.main.blocks[2].input
	Message   string // without the path
	// Key is set when the problem is an unknown property: its name.
	Key string
	// Value is the offending scalar's text ("" for mappings and lists).
	Value string
	// Kind names the failed keyword: "type", "required", "pattern", ...
	Kind string
	// Suggest is, for an unknown property, the declared field its key
	// probably misspells ("type" for "tpye"), or "". Message ends with the
	// "did you mean" then.
	Suggest string
}

// Validate checks a parsed YAML document against the named schema and
// returns the violations, each at the line and column of the offending node,
// sorted by position. The error is for a document that cannot be checked at
// all (too deep, too many aliases) or an unknown schema.
//
// The check reads the yaml.Node tree directly: a valid document costs one
// walk and no allocation; only an invalid one is checked again to collect
// and word its problems.
func Validate(name string, doc *yaml.Node) ([]Problem, error) {
	return ValidateDoc(name, doc, HasAlias(doc))
}

// ValidateDoc is Validate for a caller that knows whether the document
// holds aliases (ScanKeys tells): without, the bounds on aliases need no
// walk of their own.
func ValidateDoc(name string, doc *yaml.Node, aliases bool) ([]Problem, error) {
	sch, err := compiled(name)
	if err != nil {
		return nil, err
	}
	if aliases {
		if err := boundAliases(doc); err != nil {
			return nil, err
		}
	}
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	value := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 0 {
		value = nil
	}
	c := checker{valid: true}
	if c.validate(sch, value) == nil {
		return nil, nil
	}
	c = checker{}
	ve := c.validate(sch, value)
	var all []found
	collect(ve, &locator{root: root}, &all)
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
// property for unknown properties). An anyOf whose branches all failed on
// type at the same place is one problem.
func collect(ve *verr, root *locator, out *[]found) {
	if len(ve.causes) == 0 {
		n, _ := root.locate(ve.loc)
		if ve.kind == kAdditional {
			for _, p := range ve.names {
				kn := root.keyNode(n, p)
				f := foundAt(kn, func() Problem {
					return problemAt(kn, append(slices.Clone(ve.loc), p), fmt.Sprintf("unknown field %q", p), p)
				})
				f.fields = ve.fields
				*out = append(*out, f)
			}
			return
		}
		f := foundAt(n, func() Problem { return problemFor(ve, n) })
		if ve.kind == kRequired {
			f.missing = ve.names
		}
		*out = append(*out, f)
		return
	}
	if ve.kind == kAnyOf {
		var wants []string
		for _, c := range ve.causes {
			if c.kind != kType || len(c.causes) > 0 || !slices.Equal(c.loc, ve.loc) {
				wants = nil
				break
			}
			wants = append(wants, c.want.names()...)
		}
		if wants != nil {
			got := ve.causes[0].got
			n, _ := root.locate(ve.loc)
			*out = append(*out, foundAt(n, func() Problem {
				return problemAt(n, ve.loc, fmt.Sprintf("got %s, want %s", got, joinOr(wants)), "")
			}))
			return
		}
	}
	for _, c := range ve.causes {
		collect(c, root, out)
	}
}

// problemFor words a leaf error at its node n.
func problemFor(ve *verr, n *yaml.Node) Problem {
	switch ve.kind {
	case kRequired:
		p := problemAt(n, ve.loc, "missing required field "+quoteAll(ve.names), "")
		p.Kind = "required"
		return p
	case kEnum:
		return problemAt(n, ve.loc, fmt.Sprintf("got %s, want one of %s", describe(n), enumList(ve.enum)), "")
	case kType:
		return problemAt(n, ve.loc, fmt.Sprintf("got %s, want %s", ve.got, joinOr(ve.want.names())), "")
	case kMinLength, kMinItems, kMinProps:
		if ve.n2 == 1 {
			return problemAt(n, ve.loc, "must not be empty", "")
		}
	case kPattern:
		p := problemAt(n, ve.loc, fmt.Sprintf("%s does not match the pattern %s", describe(n), ve.pattern), "")
		p.Kind = "pattern"
		return p
	}
	return problemAt(n, ve.loc, ve.message(), "")
}

// message words the errors that flowctl leaves in JSON Schema's words.
func (ve *verr) message() string {
	p := printer()
	switch ve.kind {
	case kConst:
		return p.Sprintf("value must be %s", display(ve.constant))
	case kMinLength:
		return p.Sprintf("minLength: got %d, want %d", ve.n1, ve.n2)
	case kMinItems:
		return p.Sprintf("minItems: got %d, want %d", ve.n1, ve.n2)
	case kMinProps:
		return p.Sprintf("minProperties: got %d, want %d", ve.n1, ve.n2)
	case kMaxProps:
		return p.Sprintf("maxProperties: got %d, want %d", ve.n1, ve.n2)
	case kUnique:
		return p.Sprintf("items at %d and %d are equal", ve.n1, ve.n2)
	case kFalse:
		return p.Sprintf("false schema")
	}
	return "invalid"
}

// display shows a const value as JSON Schema's messages do.
func display(v any) string {
	if s, ok := v.(string); ok {
		s = fmt.Sprintf("%q", s)
		s = strings.ReplaceAll(s, `\"`, `"`)
		s = strings.ReplaceAll(s, `'`, `\'`)
		return "'" + s[1:len(s)-1] + "'"
	}
	return fmt.Sprintf("%v", v)
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

func quoteAll(ss []string) string {
	var q []string
	for _, s := range ss {
		q = append(q, strconv.Quote(s))
	}
	return strings.Join(q, ", ")
}

func joinOr(ws []string) string {
	ws = slices.Compact(slices.Clone(ws))
	switch len(ws) {
	case 0:
		return "another type"
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}

// pathString renders a JSON pointer's segments as a.b[2].c.
func pathString(loc []string) string {
	var sb strings.Builder
	for _, seg := range loc {
		if _, err := strconv.Atoi(seg); err == nil {
			sb.WriteString("[" + seg + "]")
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte('.')
		}
		sb.WriteString(seg)
	}
	return sb.String()
}

// locator finds the nodes of problems: a document with many problems in a
// large mapping (100,000 unknown keys) must not cost a scan of the mapping
// per problem, so large mappings are indexed on first use.
type locator struct {
	root  *yaml.Node
	index map[*yaml.Node]map[string]int // mapping -> key -> index of its key node
}

// child returns the value of key in mapping m (the first, as yaml.v3
// decodes), and the key node; nil when there is none.
func (l *locator) child(m *yaml.Node, key string) (k, v *yaml.Node) {
	if len(m.Content) <= 64 {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i], m.Content[i+1]
			}
		}
		return nil, nil
	}
	if l.index == nil {
		l.index = map[*yaml.Node]map[string]int{}
	}
	idx, ok := l.index[m]
	if !ok {
		idx = make(map[string]int, len(m.Content)/2)
		for i := 0; i+1 < len(m.Content); i += 2 {
			if _, dup := idx[m.Content[i].Value]; !dup {
				idx[m.Content[i].Value] = i
			}
		}
		l.index[m] = idx
	}
	if i, ok := idx[key]; ok {
		return m.Content[i], m.Content[i+1]
	}
	return nil, nil
}

// locate follows loc from the root; it returns the deepest node reached and
// whether the whole path was found.
func (l *locator) locate(loc []string) (*yaml.Node, bool) {
	n := Deref(l.root)
	for _, seg := range loc {
		switch n.Kind {
		case yaml.MappingNode:
			_, next := l.child(n, seg)
			if next == nil {
				return n, false
			}
			n = Deref(next)
		case yaml.SequenceNode:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(n.Content) {
				return n, false
			}
			n = Deref(n.Content[i])
		default:
			return n, false
		}
	}
	return n, true
}

func (l *locator) keyNode(m *yaml.Node, key string) *yaml.Node {
	if m != nil && m.Kind == yaml.MappingNode {
		if k, _ := l.child(m, key); k != nil {
			return k
		}
	}
	return m
}

// TooComplexError is returned for documents nested deeper than MaxDepth or
// expanding more than MaxAliasExpands nodes through aliases.
type TooComplexError struct {
	Line, Col int
	Reason    string
}

func (e *TooComplexError) Error() string { return "document too complex: " + e.Reason }

// ToJSON converts a YAML node to the values encoding/json would produce
// (map[string]any, []any, string, bool, nil, json.Number). Duplicate keys keep
// their first value; merge keys (<<) are applied. Nesting and alias expansion
// are bounded.
func ToJSON(n *yaml.Node) (any, error) {
	c := converter{}
	return c.conv(n, 0, false)
}

type converter struct {
	aliasNodes int
}

func (c *converter) conv(n *yaml.Node, depth int, viaAlias bool) (any, error) {
	if n == nil {
		return nil, nil
	}
	if depth > MaxDepth {
		return nil, &TooComplexError{Line: n.Line, Col: n.Column, Reason: fmt.Sprintf("nested deeper than %d levels", MaxDepth)}
	}
	if viaAlias {
		c.aliasNodes++
		if c.aliasNodes > MaxAliasExpands {
			return nil, &TooComplexError{Line: n.Line, Col: n.Column, Reason: fmt.Sprintf("aliases expand to more than %d nodes", MaxAliasExpands)}
		}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.conv(n.Content[0], depth, viaAlias)
	case yaml.AliasNode:
		return c.conv(n.Alias, depth+1, true)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.conv(e, depth+1, viaAlias)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				merges = append(merges, v)
				continue
			}
			key := k.Value
			if k.Kind != yaml.ScalarNode {
				key = fmt.Sprintf("<%s at line %d>", kindName(k), k.Line)
			}
			if _, dup := out[key]; dup {
				continue
			}
			val, err := c.conv(v, depth+1, viaAlias)
			if err != nil {
				return nil, err
			}
			out[key] = val
		}
		for _, m := range merges {
			mv, err := c.conv(m, depth+1, viaAlias)
			if err != nil {
				return nil, err
			}
			srcs, _ := mv.([]any)
			if mm, ok := mv.(map[string]any); ok {
				srcs = []any{mm}
			}
			for _, s := range srcs {
				if mm, ok := s.(map[string]any); ok {
					for k, v := range mm {
						if _, ok := out[k]; !ok {
							out[k] = v
						}
					}
				}
			}
		}
		return out, nil
	}
	return scalar(n), nil
}

// scalar converts a scalar by its resolved tag.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return json.Number(strconv.FormatInt(i, 10))
		}
		var u uint64
		if n.Decode(&u) == nil {
			return json.Number(strconv.FormatUint(u, 10))
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	return n.Value
}
