package lsp

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"sync"

	"github.com/flowctl/flowctl/schemas"
)

// The JSON schemas of flowctl's files, read as completion needs them: the
// keys a mapping takes and what type the value of a key is.

// schemaName is the embedded schema of a kind of document ("" none).
func schemaName(k fileKind) string {
	switch k {
	case kindFlow:
		return "flow"
	case kindTest:
		return "test"
	case kindConfig:
		return "config"
	}
	return ""
}

// rawSchemas are the embedded schemas decoded as plain JSON values.
var rawSchemas sync.Map // name -> map[string]any (nil when unreadable)

func rawSchema(name string) map[string]any {
	if v, ok := rawSchemas.Load(name); ok {
		return v.(map[string]any)
	}
	var root map[string]any
	if src, err := schemas.Source(name); err == nil {
		v, err := decodeOrdered(json.NewDecoder(bytes.NewReader(src)))
		if m, ok := v.(map[string]any); ok && err == nil {
			root = m
		}
	}
	rawSchemas.Store(name, root)
	return root
}

// orderKey holds, in each decoded JSON object, its keys in the order
// written (the order completion offers properties in).
const orderKey = "\x00order"

// decodeOrdered decodes one JSON value; objects are maps that also hold
// their keys in order under orderKey.
func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		m := map[string]any{}
		var order []string
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			key, _ := k.(string)
			v, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			m[key] = v
			order = append(order, key)
		}
		m[orderKey] = order
		_, err = dec.Token()
		return m, err
	case json.Delim('['):
		var list []any
		for dec.More() {
			v, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		_, err = dec.Token()
		return list, err
	}
	return tok, nil
}

// isBoolean reports whether the schema of a kind of document says the
// value of key, in the mapping at path, is true or false.
func isBoolean(k fileKind, path []string, key string) bool {
	for _, s := range schemasAt(k, append(slices.Clip(path), key)) {
		if s["type"] == "boolean" {
			return true
		}
	}
	return false
}

// schemaEnum returns the values the schema of a kind of document allows
// at path, when it lists them.
func schemaEnum(k fileKind, path []string) []string {
	var out []string
	for _, s := range schemasAt(k, path) {
		list, _ := s["enum"].([]any)
		for _, v := range list {
			if str, ok := v.(string); ok && !slices.Contains(out, str) {
				out = append(out, str)
			}
		}
	}
	return out
}

// schemaKeys are the properties the schema of a kind of document names for
// the mapping at path, in the schema's order.
func schemaKeys(k fileKind, path []string) []candidate {
	var names []string
	for _, s := range schemasAt(k, path) {
		if props, ok := s["properties"].(map[string]any); ok {
			order, _ := props[orderKey].([]string)
			for _, name := range order {
				if !slices.Contains(names, name) {
					names = append(names, name)
				}
			}
		}
	}
	return keys(names...)
}

// schemasAt returns the schemas the value at path ("-" for a sequence
// item, any name for a key the schema does not name) must match.
func schemasAt(k fileKind, path []string) []map[string]any {
	root := rawSchema(schemaName(k))
	if root == nil {
		return nil
	}
	at := expand(root, root)
	for _, p := range path {
		var next []map[string]any
		for _, s := range at {
			for _, c := range children(s, p) {
				next = append(next, expand(root, c)...)
			}
		}
		at = next
	}
	return at
}

// children are the schemas of what step p leads to in the value schema s:
// a sequence's items for "-", else the property of that name, a pattern
// property or the additional properties.
func children(s map[string]any, p string) []any {
	if p == "-" {
		if it, ok := s["items"]; ok {
			return []any{it}
		}
		return nil
	}
	if props, ok := s["properties"].(map[string]any); ok {
		if c, ok := props[p]; ok {
			return []any{c}
		}
	}
	var out []any
	if pp, ok := s["patternProperties"].(map[string]any); ok {
		for _, c := range pp {
			out = append(out, c)
		}
	}
	if ap, ok := s["additionalProperties"].(map[string]any); ok {
		out = append(out, ap)
	}
	return out
}

// expand returns s with its local $ref followed and its allOf, anyOf,
// oneOf, then and else parts: every schema a value of s may have to match.
func expand(root map[string]any, s any) []map[string]any {
	var out []map[string]any
	var walk func(s any, depth int)
	walk = func(s any, depth int) {
		m, ok := s.(map[string]any)
		if !ok || depth > 16 {
			return // true, false, or a cycle of references
		}
		out = append(out, m)
		if ref, ok := m["$ref"].(string); ok {
			walk(lookup(root, ref), depth+1)
		}
		for _, k := range []string{"allOf", "anyOf", "oneOf"} {
			if list, ok := m[k].([]any); ok {
				for _, c := range list {
					walk(c, depth+1)
				}
			}
		}
		for _, k := range []string{"then", "else"} {
			walk(m[k], depth+1)
		}
	}
	walk(s, 0)
	return out
}

// lookup resolves a reference within the schema ("#/$defs/block").
func lookup(root map[string]any, ref string) any {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	var at any = root
	for _, p := range strings.Split(rest, "/") {
		m, ok := at.(map[string]any)
		if !ok {
			return nil
		}
		at = m[p]
	}
	return at
}
