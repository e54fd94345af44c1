package schemas

import (
	"encoding/json"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// typeOfNode is the JSON type ToJSON gives a (dereferenced) node.
func typeOfNode(n *yaml.Node) jsonType {
	if n == nil {
		return nullType
	}
	switch n.Kind {
	case yaml.MappingNode:
		return objectType
	case yaml.SequenceNode:
		return arrayType
	case yaml.AliasNode: // without a target
		return nullType
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nullType
		}
		return typeOfNode(Deref(n.Content[0]))
	case yaml.ScalarNode:
		if n.Style&yaml.TaggedStyle == 0 {
			// The parser resolved the tag from the plain text, so it
			// decodes: skip decoding it again.
			switch n.Tag {
			case "!!str":
				return stringType
			case "!!null":
				return nullType
			case "!!bool":
				return booleanType
			case "!!int":
				return numberType
			}
		}
	}
	return typeOfJSON(scalar(n))
}

// equalValue reports whether the JSON value of node n, of type t, equals
// w (a const or enum value: a string, number, boolean or null), without
// converting n when the text decides.
func equalValue(n *yaml.Node, t jsonType, w any) bool {
	switch w := w.(type) {
	case string:
		return t == stringType && n.Value == w // a string's value is its text
	case nil:
		return t == nullType
	case bool:
		if t != booleanType {
			return false
		}
	case json.Number:
		if t != numberType {
			return false
		}
		if n.Style&yaml.TaggedStyle == 0 && n.Tag == "!!int" && n.Value == string(w) {
			return true
		}
	}
	return equalJSON(jsonValue(n), w)
}

// jsonValue is a scalar's value as ToJSON converts it; lists and mappings
// are converted whole (aliases are bounded by then: see boundAliases).
func jsonValue(n *yaml.Node) any {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return scalar(n)
	}
	v, _ := ToJSON(n)
	return v
}

func isInteger(n *yaml.Node) bool { return isIntegerJSON(jsonValue(n)) }

// isIntegerJSON reports whether a JSON value is a number without a
// fraction (2.0 is one).
func isIntegerJSON(v any) bool {
	num, ok := v.(json.Number)
	if !ok {
		return false
	}
	r, ok := new(big.Rat).SetString(string(num))
	return ok && r.IsInt()
}

// equalJSON compares two JSON values as JSON Schema does: numbers by
// value, lists item by item, objects key by key.
func equalJSON(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case bool:
		b, ok := b.(bool)
		return ok && a == b
	case string:
		b, ok := b.(string)
		return ok && a == b
	case json.Number:
		b, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, ok1 := new(big.Rat).SetString(string(a))
		y, ok2 := new(big.Rat).SetString(string(b))
		return ok1 && ok2 && x.Cmp(y) == 0
	case []any:
		b, ok := b.([]any)
		return ok && slices.EqualFunc(a, b, equalJSON)
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !equalJSON(v, w) {
				return false
			}
		}
		return true
	}
	return false
}

// duplicateItems returns the indexes of the first item equal to an
// earlier one, as JSON Schema's uniqueItems compares them, and of that
// earlier one: (j, i) with j < i; (-1, -1) when all differ.
func duplicateItems(items []*yaml.Node) (int, int) {
	seen := make(map[string]int, len(items))
	for i, it := range items {
		key := canonicalJSON(jsonValue(Deref(it)))
		if j, ok := seen[key]; ok {
			return j, i
		}
		seen[key] = i
	}
	return -1, -1
}

// canonicalJSON is a text that two JSON values share exactly when
// equalJSON holds (numbers by value, objects whatever their key order).
func canonicalJSON(v any) string {
	var sb strings.Builder
	writeCanonical(&sb, v)
	return sb.String()
}

func writeCanonical(sb *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		sb.WriteString("null")
	case bool:
		sb.WriteString(strconv.FormatBool(v))
	case string:
		sb.WriteString(strconv.Quote(v))
	case json.Number:
		if r, ok := new(big.Rat).SetString(string(v)); ok {
			sb.WriteString(r.RatString())
		} else {
			sb.WriteString("?" + string(v))
		}
	case []any:
		sb.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeCanonical(sb, e)
		}
		sb.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		sb.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.Quote(k) + ":")
			writeCanonical(sb, v[k])
		}
		sb.WriteByte('}')
	}
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
