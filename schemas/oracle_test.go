package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"gopkg.in/yaml.v3"
)

// The oracle: flowctl's schema check as it was with the jsonschema library,
// which the native check (check.go) must match problem for problem.

var (
	oracleMu      sync.Mutex
	oracleSchemas = map[string]*jsonschema.Schema{}
)

// oracleCompiled compiles the named schema with jsonschema, once.
func oracleCompiled(name string) (*jsonschema.Schema, error) {
	oracleMu.Lock()
	defer oracleMu.Unlock()
	if s, ok := oracleSchemas[name]; ok {
		return s, nil
	}
	var src []byte
	var err error
	if name == FlowShape {
		flowFields.once.Do(loadFlowFields)
		src = flowFields.shape
	} else if src, err = Source(name); err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(URL(name), doc); err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	s, err := c.Compile(URL(name))
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	oracleSchemas[name] = s
	return s, nil
}

// oracleValidate is Validate as it was with santhosh-tekuri/jsonschema: it
// converts the document with ToJSON and words jsonschema's errors. It
// returns the violations, each at the line and column of the offending node,
// sorted by position. The error is for a document that cannot be checked at
// all (too deep, too many aliases) or an unknown schema.
func oracleValidate(name string, doc *yaml.Node) ([]Problem, error) {
	sch, err := oracleCompiled(name)
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
	oracleCollect(ve, &locator{root: root}, &all)
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

// oracleCollect walks the error tree and finds one problem per leaf (one per
// property for unknown properties). An anyOf whose branches all failed on
// type at the same place is one problem.
func oracleCollect(ve *jsonschema.ValidationError, root *locator, out *[]found) {
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
		f := foundAt(n, func() Problem { return oracleProblemFor(ve, n) })
		if k, ok := ve.ErrorKind.(*kind.Required); ok {
			f.missing = k.Missing
		}
		*out = append(*out, f)
		return
	}
	switch ve.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
		var wants []string
		for _, c := range ve.Causes {
			t, ok := c.ErrorKind.(*kind.Type)
			if !ok || len(c.Causes) > 0 || !slices.Equal(c.InstanceLocation, ve.InstanceLocation) {
				wants = nil
				break
			}
			wants = append(wants, t.Want...)
		}
		if wants != nil {
			t := ve.Causes[0].ErrorKind.(*kind.Type)
			n, _ := root.locate(ve.InstanceLocation)
			*out = append(*out, foundAt(n, func() Problem {
				return problemAt(n, ve.InstanceLocation, fmt.Sprintf("got %s, want %s", t.Got, joinOr(wants)), "")
			}))
			return
		}
	}
	for _, c := range ve.Causes {
		oracleCollect(c, root, out)
	}
}

// oracleProblemFor words a leaf error at its node n.
func oracleProblemFor(ve *jsonschema.ValidationError, n *yaml.Node) Problem {
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		p := problemAt(n, ve.InstanceLocation, "missing required field "+quoteAll(k.Missing), "")
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
	case *kind.Pattern:
		p := problemAt(n, ve.InstanceLocation, fmt.Sprintf("%s does not match the pattern %s", describe(n), k.Want), "")
		p.Kind = "pattern"
		return p
	}
	return problemAt(n, ve.InstanceLocation, ve.ErrorKind.LocalizedString(printer()), "")
}

// fieldsAt returns the property names the schema at a location declares
// (schemaURL as a ValidationError gives it: the schema's $id, then "#" and
// a JSON pointer), sorted; nil when there are none.
func fieldsAt(schemaURL string) []string {
	base, frag, _ := strings.Cut(schemaURL, "#")
	name := strings.TrimSuffix(strings.TrimPrefix(base, strings.TrimSuffix(URL("x"), "x.schema.json")), ".schema.json")
	node := rawSchema(name)
	if frag != "" {
		ptr, err := url.PathUnescape(frag)
		if err != nil {
			return nil
		}
		for _, seg := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
			seg = strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
			m, ok := node.(map[string]any)
			if !ok {
				return nil
			}
			node = m[seg]
		}
	}
	m, _ := node.(map[string]any)
	props, _ := m["properties"].(map[string]any)
	out := make([]string, 0, len(props))
	for k := range props {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var rawSchemas sync.Map // name -> any (the decoded JSON)

// rawSchema returns the named schema's JSON decoded, or nil.
func rawSchema(name string) any {
	if v, ok := rawSchemas.Load(name); ok {
		return v
	}
	var src []byte
	if name == FlowShape {
		flowFields.once.Do(loadFlowFields)
		src = flowFields.shape
	} else {
		src, _ = Source(name)
	}
	var v any
	if json.Unmarshal(src, &v) != nil {
		return nil
	}
	rawSchemas.Store(name, v)
	return v
}
