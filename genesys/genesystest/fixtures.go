package genesystest

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// Fixture returns genesys/testdata/name: a JSON payload shaped field by
// field from the Genesys SDK models (see its README).
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// mapKeys are objects whose keys are data, not field names.
var mapKeys = []string{"attributes", "customAttributes"}

// Shape returns the field paths of a JSON document with the JSON type of
// each: "a.b" for objects, "a[].b" inside arrays, "a.*" for the keys of a
// map (attributes); the types are "string", "number", "boolean",
// "object", "array" and "null". The document itself is the path "".
func Shape(data []byte) (map[string]string, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	shape := map[string]string{}
	var walk func(path, key string, v any)
	walk = func(path, key string, v any) {
		shape[path] = jsonType(v)
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				name := k
				if slices.Contains(mapKeys, key) {
					name = "*"
				}
				p := name
				if path != "" {
					p = path + "." + name
				}
				walk(p, k, e)
			}
		case []any:
			for _, e := range x {
				walk(path+"[]", key, e)
			}
		}
	}
	walk("", "", v)
	return shape, nil
}

func jsonType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

// CheckShape fails t unless every field path of got is one the fixture
// has, with the same JSON type: what the emulator writes is a real shape,
// with no invented field and no field of another type. got is the raw
// bytes the emulator wrote, never a re-encoding.
func CheckShape(t testing.TB, fixture string, got []byte) {
	t.Helper()
	want, err := Shape(Fixture(t, fixture))
	if err != nil {
		t.Fatalf("%s: %v", fixture, err)
	}
	have, err := Shape(got)
	if err != nil {
		t.Fatalf("not JSON (%v): %s", err, got)
	}
	for _, p := range slices.Sorted(maps.Keys(have)) {
		switch w, ok := want[p]; {
		case !ok:
			t.Errorf("field %s is not in the fixture %s: %s", p, fixture, got)
		case w != have[p]:
			t.Errorf("field %q is %s, but %s in the fixture %s: %s", p, have[p], w, fixture, got)
		}
	}
}
