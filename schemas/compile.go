package schemas

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// schema is one schema object of flowctl's schemas, compiled for the
// validity predicate (valid.go).
// flowctl's schemas use a small part of JSON Schema 2020-12: the keywords
// below, local $refs, and annotations (title, description, $comment,
// examples, default); compile refuses anything else, so a schema
// that starts using another keyword fails TestEverySchemaCompiles rather
// than being half checked.
type schema struct {
	always   *bool // a boolean schema (true or false)
	ref      *schema
	types    jsonType // 0: no type keyword
	hasConst bool
	constV   any
	enum     []any // nil: no enum keyword
	required []string
	props    map[string]*schema
	noAddl   bool    // additionalProperties: false
	addl     *schema // additionalProperties as a schema
	items    *schema
	allOf    []*schema
	anyOf    []*schema
	oneOf    []*schema
	ifS      *schema
	thenS    *schema
	elseS    *schema
	pattern  *regexp.Regexp
	unique   bool
	// -1 when absent
	minLength, minItems, minProps, maxProps int
}

// jsonType is a set of JSON types, as a bit mask.
type jsonType uint8

const (
	nullType jsonType = 1 << iota
	booleanType
	numberType
	integerType
	stringType
	arrayType
	objectType
)

// typeNames are the JSON type names in the order messages list them.
var typeNames = []struct {
	t    jsonType
	name string
}{
	{nullType, "null"}, {booleanType, "boolean"}, {numberType, "number"}, {integerType, "integer"},
	{stringType, "string"}, {arrayType, "array"}, {objectType, "object"},
}

func (t jsonType) String() string {
	for _, n := range typeNames {
		if n.t == t {
			return n.name
		}
	}
	return ""
}

// names lists the types of the set in message order.
func (t jsonType) names() []string {
	var out []string
	for _, n := range typeNames {
		if t&n.t != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

var compiledSchemas sync.Map // name -> func() (*schema, error), each run once

// compiled returns the named schema compiled, compiling it on first use
// (once, however many goroutines ask).
func compiled(name string) (*schema, error) {
	f, ok := compiledSchemas.Load(name)
	if !ok {
		f, _ = compiledSchemas.LoadOrStore(name, sync.OnceValues(func() (*schema, error) { return compileNamed(name) }))
	}
	return f.(func() (*schema, error))()
}

func compileNamed(name string) (*schema, error) {
	c, err := compileAll(name)
	if err != nil {
		return nil, err
	}
	return c.done["#"], nil
}

// compileAll compiles the named schema; the compiler holds every schema
// object of it by JSON pointer.
func compileAll(name string) (*schemaCompiler, error) {
	doc, err := decodeSchema(name)
	if err != nil {
		return nil, err
	}
	c := &schemaCompiler{root: doc, done: map[string]*schema{}}
	if _, err := c.compile(doc, "#"); err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	return c, nil
}

// schemaCompiler compiles one schema document; done holds the schemas
// compiled so far by JSON pointer, so that $refs (recursive ones
// included) share them.
type schemaCompiler struct {
	root any
	done map[string]*schema
}

// annotations are keywords that do not affect validation.
var annotations = []string{"$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default"}

func (c *schemaCompiler) compile(v any, ptr string) (*schema, error) {
	if s, ok := c.done[ptr]; ok {
		return s, nil
	}
	s := &schema{minLength: -1, minItems: -1, minProps: -1, maxProps: -1}
	c.done[ptr] = s
	if b, ok := v.(bool); ok {
		s.always = &b
		return s, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: a schema must be an object or a boolean", ptr)
	}
	sub := func(kw string, v any) (*schema, error) { return c.compile(v, ptr+"/"+escapePtr(kw)) }
	subs := func(kw string, v any) ([]*schema, error) {
		list, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%s/%s: want a list of schemas", ptr, kw)
		}
		var out []*schema
		for i, e := range list {
			s, err := c.compile(e, fmt.Sprintf("%s/%s/%d", ptr, kw, i))
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	var err error
	for kw, val := range m {
		switch kw {
		case "$ref":
			ref, _ := val.(string)
			target, ok := c.resolve(ref)
			if !ok {
				return nil, fmt.Errorf("%s: $ref %q: only local references to existing schemas are supported", ptr, ref)
			}
			s.ref, err = c.compile(target, ref)
		case "type":
			s.types, err = compileTypes(val)
		case "const":
			s.hasConst, s.constV = true, val
			err = checkPrimitive(val)
		case "enum":
			list, ok := val.([]any)
			if !ok {
				return nil, fmt.Errorf("%s/enum: want a list", ptr)
			}
			for _, e := range list {
				if err := checkPrimitive(e); err != nil {
					return nil, err
				}
			}
			s.enum = list
		case "required":
			s.required, err = stringList(val)
		case "properties":
			props, ok := val.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s/properties: want an object", ptr)
			}
			s.props = make(map[string]*schema, len(props))
			for name, p := range props {
				if s.props[name], err = c.compile(p, ptr+"/properties/"+escapePtr(name)); err != nil {
					return nil, err
				}
			}
		case "additionalProperties":
			if b, ok := val.(bool); ok && !b {
				s.noAddl = true
			} else {
				s.addl, err = sub(kw, val)
			}
		case "items":
			s.items, err = sub(kw, val)
		case "allOf":
			s.allOf, err = subs(kw, val)
		case "anyOf":
			s.anyOf, err = subs(kw, val)
		case "oneOf":
			s.oneOf, err = subs(kw, val)
		case "if":
			s.ifS, err = sub(kw, val)
		case "then":
			s.thenS, err = sub(kw, val)
		case "else":
			s.elseS, err = sub(kw, val)
		case "pattern":
			p, _ := val.(string)
			s.pattern, err = regexp.Compile(p)
		case "uniqueItems":
			s.unique, _ = val.(bool)
		case "minLength":
			s.minLength, err = count(val)
		case "minItems":
			s.minItems, err = count(val)
		case "minProperties":
			s.minProps, err = count(val)
		case "maxProperties":
			s.maxProps, err = count(val)
		default:
			if !slices.Contains(annotations, kw) {
				return nil, fmt.Errorf("%s: keyword %q is not supported by flowctl's schema check", ptr, kw)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %w", ptr, kw, err)
		}
	}
	return s, nil
}

// resolve finds the schema a local $ref ("#/$defs/x") points to.
func (c *schemaCompiler) resolve(ref string) (any, bool) {
	ptr, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, false
	}
	v := c.root
	if ptr == "" {
		return v, true
	}
	for _, seg := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[ptrUnescaper.Replace(seg)]; !ok {
			return nil, false
		}
	}
	return v, true
}

// JSON pointer segments' escapes.
var (
	ptrEscaper   = strings.NewReplacer("~", "~0", "/", "~1")
	ptrUnescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

func escapePtr(s string) string { return ptrEscaper.Replace(s) }

func compileTypes(v any) (jsonType, error) {
	var names []any
	switch v := v.(type) {
	case string:
		names = []any{v}
	case []any:
		names = v
	}
	var t jsonType
	for _, n := range names {
		name, _ := n.(string)
		i := slices.IndexFunc(typeNames, func(tn struct {
			t    jsonType
			name string
		}) bool {
			return tn.name == name
		})
		if i < 0 {
			return 0, fmt.Errorf("unknown type %v", n)
		}
		t |= typeNames[i].t
	}
	if t == 0 {
		return 0, fmt.Errorf("no type")
	}
	return t, nil
}

// checkPrimitive refuses const and enum values other than strings,
// numbers, booleans and null: comparing lists and objects is not needed.
func checkPrimitive(v any) error {
	switch v.(type) {
	case nil, bool, string, json.Number:
		return nil
	}
	return fmt.Errorf("only strings, numbers, booleans and null are supported as const and enum values, got %v", v)
}

func stringList(v any) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of strings")
	}
	var out []string
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("want a list of strings")
		}
		out = append(out, s)
	}
	return out, nil
}

func count(v any) (int, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("want a number")
	}
	i, err := n.Int64()
	if err != nil || i < 0 {
		return 0, fmt.Errorf("want a count, got %v", v)
	}
	return int(i), nil
}
