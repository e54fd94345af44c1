package schemas

import (
	"embed"
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

// source returns the JSON text of the named schema, FlowShape included.
func source(name string) ([]byte, error) {
	if name == FlowShape {
		flowFields.once.Do(loadFlowFields)
		return flowFields.shape, nil
	}
	return Source(name)
}
