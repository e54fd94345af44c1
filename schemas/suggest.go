package schemas

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/flowctl/flowctl/internal/suggest"
)

// fieldsAt returns the property names the schema at a location declares
// (schemaURL as a ValidationError gives it: the schema's $id, then "#" and
// a JSON pointer), sorted; nil when there are none.
func fieldsAt(schemaURL string) []string {
	_, m := schemaAt(schemaURL)
	return propertyNames(m)
}

// propertyNames returns the names of a schema's properties, sorted.
func propertyNames(m map[string]any) []string {
	props, _ := m["properties"].(map[string]any)
	out := make([]string, 0, len(props))
	for k := range props {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// schemaAt returns the name of the schema a location is in and the
// schema object there (decoded JSON), or nil.
func schemaAt(schemaURL string) (string, map[string]any) {
	base, frag, _ := strings.Cut(schemaURL, "#")
	name := strings.TrimSuffix(strings.TrimPrefix(base, strings.TrimSuffix(URL("x"), "x.schema.json")), ".schema.json")
	ptr, err := url.PathUnescape(frag)
	if err != nil {
		return name, nil
	}
	return name, pointer(rawSchema(name), ptr)
}

// pointer follows a JSON pointer (without its "#") from node.
func pointer(node any, ptr string) map[string]any {
	if ptr != "" {
		for _, seg := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
			seg = strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
			switch c := node.(type) {
			case map[string]any:
				node = c[seg]
			case []any: // the alternatives of an anyOf, say
				i, err := strconv.Atoi(seg)
				if err != nil || i < 0 || i >= len(c) {
					return nil
				}
				node = c[i]
			default:
				return nil
			}
		}
	}
	m, _ := node.(map[string]any)
	return m
}

var rawSchemas sync.Map // name -> any (the decoded JSON)

// rawSchema returns the named schema's JSON decoded, or nil.
func rawSchema(name string) any {
	if v, ok := rawSchemas.Load(name); ok {
		return v
	}
	src, _ := source(name)
	var v any
	if json.Unmarshal(src, &v) != nil {
		return nil
	}
	rawSchemas.Store(name, v)
	return v
}

// suggestFields sets Suggest on each unknown-field problem whose key is a
// probable misspelling of a field the schema declares there, and drops the
// "missing required field" a misspelling explains: `tpye: say` is one
// problem (unknown field "tpye"; did you mean "type"?), not two.
func suggestFields(all []worded) []Problem {
	meant := map[string][]string{} // mapping path -> fields misspelt keys stand for
	for i := range all {
		f := &all[i]
		if f.Key == "" {
			continue
		}
		if s := suggest.Closest(f.Key, f.fields); s != "" {
			f.Suggest = s
			f.Message += fmt.Sprintf("; did you mean %q?", s)
			parent := strings.TrimSuffix(strings.TrimSuffix(f.Path, f.Key), ".")
			meant[parent] = append(meant[parent], s)
		}
	}
	out := make([]Problem, 0, len(all))
	for _, f := range all {
		if f.Kind == "required" {
			var still []string
			for _, m := range f.missing {
				if !slices.Contains(meant[f.Path], m) {
					still = append(still, m)
				}
			}
			if len(still) == 0 {
				continue
			}
			f.Message = missingFields(still)
		}
		out = append(out, f.Problem)
	}
	return out
}
