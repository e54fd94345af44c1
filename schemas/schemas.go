package schemas

import (
	"bytes"
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
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

var jsonSchemas sync.Map // name -> func() (*jsonschema.Schema, error), each run once

// jsonSchema returns the named schema compiled by the jsonschema library,
// which finds and explains the errors of an invalid document. It is
// compiled on first use, once, however many goroutines ask: a run that
// meets only valid documents never compiles it.
func jsonSchema(name string) (*jsonschema.Schema, error) {
	f, ok := jsonSchemas.Load(name)
	if !ok {
		f, _ = jsonSchemas.LoadOrStore(name, sync.OnceValues(func() (*jsonschema.Schema, error) {
			src, err := source(name)
			if err != nil {
				return nil, err
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
			if err != nil {
				return nil, fmt.Errorf("schema %s: %w", name, err)
			}
			c := jsonschema.NewCompiler()
			c.AssertFormat()
			if err := c.AddResource(URL(name), doc); err != nil {
				return nil, fmt.Errorf("schema %s: %w", name, err)
			}
			s, err := c.Compile(URL(name))
			if err != nil {
				return nil, fmt.Errorf("schema %s: %w", name, err)
			}
			return s, nil
		}))
	}
	return f.(func() (*jsonschema.Schema, error))()
}
