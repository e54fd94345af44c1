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

// KeyPaths returns the field paths of a JSON document, sorted: "a.b" for
// objects, "a[].b" inside arrays, "a.*" for the keys of a map (attributes).
func KeyPaths(data []byte) ([]string, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	set := map[string]bool{}
	var walk func(prefix, key string, v any)
	walk = func(prefix, key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				name := k
				if slices.Contains(mapKeys, key) {
					name = "*"
				}
				p := name
				if prefix != "" {
					p = prefix + "." + name
				}
				set[p] = true
				walk(p, k, e)
			}
		case []any:
			for _, e := range x {
				walk(prefix+"[]", key, e)
			}
		}
	}
	walk("", "", v)
	return slices.Sorted(maps.Keys(set)), nil
}

// CheckShape fails t unless every field path of got is one the fixture
// has: what the emulator writes is a real shape, with no invented field.
func CheckShape(t testing.TB, fixture string, got []byte) {
	t.Helper()
	want, err := KeyPaths(Fixture(t, fixture))
	if err != nil {
		t.Fatalf("%s: %v", fixture, err)
	}
	have, err := KeyPaths(got)
	if err != nil {
		t.Fatalf("not JSON (%v): %s", err, got)
	}
	for _, p := range have {
		if !slices.Contains(want, p) {
			t.Errorf("field %s is not in the fixture %s: %s", p, fixture, got)
		}
	}
}
