package schemas

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// collectAlternatives words an anyOf or oneOf that no alternative
// satisfied, so that one value never gets problems that contradict each
// other ("got array, want string" and "must not be empty"): when the
// value's type is one some alternatives declare, only their problems
// count; when it is none of them, the value gets one problem naming every
// form accepted there (got "dance", want one of "join", "close",
// "timeout" or a mapping such as {say: ...}). It reports false when it
// cannot tell the alternatives apart, for collect to go on as for any
// other error.
func collectAlternatives(ve *jsonschema.ValidationError, root *locator, out *[]found) bool {
	kw := "anyOf"
	if k, ok := ve.ErrorKind.(*kind.OneOf); ok {
		if k.Subschemas != nil {
			return false // valid against several: JSON Schema's own words
		}
		kw = "oneOf"
	}
	name, m := schemaAt(ve.SchemaURL)
	list, _ := m[kw].([]any)
	v, ok := root.valueAt(ve.InstanceLocation)
	if !ok || len(list) == 0 || len(list) != len(ve.Causes) {
		return false
	}
	t := typeOfJSON(v)
	alts := make([]alternative, len(list))
	matched := false
	for i, a := range list {
		alts[i] = alternativeOf(name, a, 0)
		if alts[i].types&t != 0 || alts[i].types&integerType != 0 && t == numberType && isIntegerJSON(v) {
			collect(ve.Causes[i], root, out)
			matched = true
		}
	}
	if matched {
		return true
	}
	n, located := root.locate(ve.InstanceLocation)
	got, forms := t.String(), []string(nil)
	for _, a := range alts {
		forms = append(forms, a.forms...)
		if a.values {
			got = describeJSON(v)
			if located {
				got = describe(n)
			}
		}
	}
	*out = append(*out, foundAt(n, func() Problem {
		return problemAt(n, ve.InstanceLocation, fmt.Sprintf("got %s, want %s", got, joinOr(forms)), "")
	}))
	return true
}

// alternative is what one alternative of an anyOf or oneOf accepts.
type alternative struct {
	types  jsonType // the types it declares (0: none, as for an enum)
	forms  []string // the forms a message names: "string", `one of "a", "b"`, "a mapping such as {k: ...}"
	values bool     // it lists values (enum, const): a message shows the value, not its type
}

// alternativeOf reads an alternative of schema name (decoded JSON),
// following local $refs and nested alternatives.
func alternativeOf(name string, v any, depth int) alternative {
	m, _ := v.(map[string]any)
	if m == nil || depth > 8 {
		return alternative{types: ^jsonType(0), forms: []string{"anything"}}
	}
	if ref, ok := m["$ref"].(string); ok && strings.HasPrefix(ref, "#") {
		return alternativeOf(name, pointer(rawSchema(name), ref[1:]), depth+1)
	}
	var a alternative
	if enum, ok := m["enum"].([]any); ok {
		a.values = true
		a.forms = append(a.forms, "one of "+enumList(enum))
	} else if c, ok := m["const"]; ok {
		a.values = true
		a.forms = append(a.forms, fmt.Sprintf("%q", fmt.Sprint(c)))
	} else if t, err := compileTypes(m["type"]); err == nil {
		a.types = t
		for _, tn := range t.names() {
			if tn == "object" && len(propertyNames(m)) > 0 {
				tn = fmt.Sprintf("a mapping such as {%s: ...}", exampleField(m))
			}
			a.forms = append(a.forms, tn)
		}
	}
	for _, kw := range []string{"anyOf", "oneOf"} {
		list, _ := m[kw].([]any)
		for _, sub := range list {
			s := alternativeOf(name, sub, depth+1)
			a.types |= s.types
			a.forms = append(a.forms, s.forms...)
			a.values = a.values || s.values
		}
	}
	return a
}

// exampleField is the field a message shows in a mapping's example: the
// first required one, else the first declared.
func exampleField(m map[string]any) string {
	if req, _ := m["required"].([]any); len(req) > 0 {
		if s, ok := req[0].(string); ok {
			return s
		}
	}
	names := propertyNames(m)
	return names[0]
}

// typeOfJSON is the JSON type of a value ToJSON made.
func typeOfJSON(v any) jsonType {
	switch v.(type) {
	case nil:
		return nullType
	case bool:
		return booleanType
	case json.Number:
		return numberType
	case string:
		return stringType
	case []any:
		return arrayType
	}
	return objectType
}

// describeJSON shows a value as describe shows its node.
func describeJSON(v any) string {
	switch v.(type) {
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	case nil:
		return "null"
	}
	return strconv.Quote(fmt.Sprint(v))
}
