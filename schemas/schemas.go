package schemas

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

//go:embed *.schema.json
var files embed.FS

// Names lists the embedded schemas ("flow", "org", "test").
func Names() []string {
	entries, _ := files.ReadDir(".")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".schema.json"))
	}
	sort.Strings(names)
	return names
}

// Source returns the JSON text of the named schema.
func Source(name string) ([]byte, error) {
	b, err := files.ReadFile(name + ".schema.json")
	if err != nil {
		return nil, fmt.Errorf("no schema %q (have %s)", name, strings.Join(Names(), ", "))
	}
	return b, nil
}

// URL is the $id of the named schema.
func URL(name string) string {
	return "https://flowctl.dev/schemas/" + name + ".schema.json"
}

// decodeSchema returns the named schema decoded (numbers as json.Number);
// FlowShape is derived from the flow schema, decoded once.
func decodeSchema(name string) (any, error) {
	if name == FlowShape {
		return flowFields().shape, nil
	}
	return decodeSource(name)
}

// decodeSource decodes the named embedded schema.
func decodeSource(name string) (any, error) {
	src, err := Source(name)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(src))
	d.UseNumber()
	var doc any
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	return doc, nil
}
