package schemas

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"gopkg.in/yaml.v3"
)

// The jsonschema library is the reference the checker (valid.go) is held
// to: every document the tests meet must get the same verdict from both,
// and the problems worded from the checker's failure tree must be those
// worded from the library's error tree (oracleProblems).

var oracleSchemas sync.Map // name -> func() (*jsonschema.Schema, error)

// oracle returns the named schema compiled by the jsonschema library.
func oracle(name string) (*jsonschema.Schema, error) {
	f, _ := oracleSchemas.LoadOrStore(name, sync.OnceValues(func() (*jsonschema.Schema, error) {
		doc, err := decodeSchema(name)
		if err != nil {
			return nil, err
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(URL(name), doc); err != nil {
			return nil, err
		}
		return c.Compile(URL(name))
	}))
	return f.(func() (*jsonschema.Schema, error))()
}

var oracleObjects sync.Map // name -> func() (map[string]*schema, error)

// oracleSchemaObjects returns the checker's schema objects of the named
// schema by JSON pointer, where the library's errors name them.
func oracleSchemaObjects(name string) (map[string]*schema, error) {
	f, _ := oracleObjects.LoadOrStore(name, sync.OnceValues(func() (map[string]*schema, error) {
		c, err := compileAll(name)
		if err != nil {
			return nil, err
		}
		return c.done, nil
	}))
	return f.(func() (map[string]*schema, error))()
}

// oracleProblems validates the document with the jsonschema library and
// words its error tree as the checker's is worded: nil when the library
// finds the document valid.
func oracleProblems(t *testing.T, name string, doc *yaml.Node) (valid bool, _ []Problem) {
	t.Helper()
	v, err := ToJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	sch, err := oracle(name)
	if err != nil {
		t.Fatal(err)
	}
	err = sch.Validate(v)
	if err == nil {
		return true, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		t.Fatal(err)
	}
	byPointer, err := oracleSchemaObjects(name)
	if err != nil {
		t.Fatal(err)
	}
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	conv := oracleConverter{t: t, schemas: byPointer, loc: &locator{root: root, value: v}}
	return false, word(conv.verr(ve))
}

// oracleConverter turns the library's errors into the checker's failures.
type oracleConverter struct {
	t       *testing.T
	schemas map[string]*schema // by JSON pointer
	loc     *locator
}

func (c oracleConverter) verr(ve *jsonschema.ValidationError) *verr {
	_, frag, _ := strings.Cut(ve.SchemaURL, "#")
	ptr, err := url.PathUnescape(frag)
	if err != nil {
		c.t.Fatal(err)
	}
	s := c.schemas["#"+ptr]
	if s == nil {
		c.t.Fatalf("no schema at %s", ve.SchemaURL)
	}
	n, _ := c.loc.locate(ve.InstanceLocation)
	val, _ := c.loc.valueAt(ve.InstanceLocation)
	e := &verr{fail: failGroup, loc: ve.InstanceLocation, s: s, n: n, t: typeOfJSON(val)}
	switch k := ve.ErrorKind.(type) {
	case *kind.FalseSchema:
		e.fail = failFalse
	case *kind.Type:
		e.fail = failType
		e.t = typeNamed(k.Got)
	case *kind.Const:
		e.fail = failConst
	case *kind.Enum:
		e.fail = failEnum
	case *kind.Required:
		e.fail, e.names = failRequired, k.Missing
	case *kind.AdditionalProperties:
		e.fail, e.names = failUnknown, k.Properties
		for _, p := range k.Properties {
			e.keys = append(e.keys, c.loc.keyNode(n, p))
		}
	case *kind.MinLength:
		e.fail, e.got, e.want = failMinLength, k.Got, k.Want
	case *kind.MinItems:
		e.fail, e.got, e.want = failMinItems, k.Got, k.Want
	case *kind.MinProperties:
		e.fail, e.got, e.want = failMinProps, k.Got, k.Want
	case *kind.MaxProperties:
		e.fail, e.got, e.want = failMaxProps, k.Got, k.Want
	case *kind.Pattern:
		e.fail = failPattern
	case *kind.UniqueItems:
		e.fail, e.got, e.want = failUnique, k.Duplicates[0], k.Duplicates[1]
	case *kind.AnyOf:
		e.fail = failAnyOf
	case *kind.OneOf:
		e.fail = failOneOf
		if k.Subschemas != nil {
			e.fail, e.got, e.want = failOneOfMany, k.Subschemas[0], k.Subschemas[1]
		}
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
	default:
		c.t.Fatalf("the checker has no failure for jsonschema's %T", k)
	}
	for _, cause := range ve.Causes {
		e.causes = append(e.causes, c.verr(cause))
	}
	return e
}

func typeNamed(name string) jsonType {
	for _, n := range typeNames {
		if n.name == name {
			return n.t
		}
	}
	return 0
}

// locator finds the node at an instance location the library reports.
type locator struct {
	root  *yaml.Node
	value any // the document as ToJSON converted it
}

// locate follows loc from the root; it returns the deepest node reached
// and whether the whole path was found.
func (l *locator) locate(loc []string) (*yaml.Node, bool) {
	n := Deref(l.root)
	for _, seg := range loc {
		switch n.Kind {
		case yaml.MappingNode:
			_, next := child(n, seg)
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
		if k, _ := child(m, key); k != nil {
			return k
		}
	}
	return m
}

// child returns the first key node and value of key in mapping m.
func child(m *yaml.Node, key string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// valueAt returns the JSON value at an instance location.
func (l *locator) valueAt(loc []string) (any, bool) {
	v := l.value
	for _, seg := range loc {
		switch c := v.(type) {
		case map[string]any:
			next, ok := c[seg]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// indirect reports whether a document has merge keys or keys that are not
// scalars: the library's instance locations do not lead to the nodes the
// checker reports there, so only the verdicts are compared.
func indirect(n *yaml.Node, depth int) bool {
	if n == nil || depth > MaxDepth {
		return false
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
				return true
			}
		}
	}
	for _, c := range n.Content {
		if indirect(c, depth+1) {
			return true
		}
	}
	return false
}
