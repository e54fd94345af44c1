package schemas

import (
	"sync"

	"gopkg.in/yaml.v3"
)

// Limits that keep hostile documents from exhausting memory or stack.
const (
	MaxDepth        = 128     // nesting of mappings and sequences
	MaxAliasExpands = 100_000 // nodes reached through aliases, in total
	MaxNodes        = 500_000 // nodes of one file, documents included
	MaxProblems     = 1000    // schema problems worded for one document
)

// Problem is one schema violation at a position in a YAML file.
type Problem struct {
	Line, Col int
	Path      string // dotted path of the offending value, e.g. flows.main.blocks[2].input
	Message   string // without the path
	// Key is set when the problem is an unknown property: its name.
	Key string
	// Value is the offending scalar's text ("" for mappings and lists).
	Value string
	// Kind names the failed keyword: "type", "required", "pattern", ...
	Kind string
	// Suggest is, for an unknown property, the declared field its key
	// probably misspells ("type" for "tpye"), or "". Message ends with the
	// "did you mean" then.
	Suggest string
}

// Validate checks a parsed YAML document against the named schema and
// returns the violations, each at the line and column of the offending node,
// sorted by position. The error is for a document that cannot be checked at
// all (too deep, too many aliases) or an unknown schema.
//
// A walk of the yaml.Node tree decides whether the document is valid: a
// valid one costs that walk and no allocation. Only an invalid one is
// walked again, explaining what failed, and that is worded into problems
// (valid.go, words.go).
func Validate(name string, doc *yaml.Node) ([]Problem, error) {
	return ValidateDoc(name, doc, HasAlias(doc))
}

// ValidateDoc is Validate for a caller that knows whether the document
// holds aliases (ScanKeys tells): without, the bounds on aliases need no
// walk of their own.
func ValidateDoc(name string, doc *yaml.Node, aliases bool) ([]Problem, error) {
	sch, err := compiled(name)
	if err != nil {
		return nil, err
	}
	if aliases {
		if err := boundAliases(doc); err != nil {
			return nil, err
		}
	}
	var value *yaml.Node
	if doc.Kind != yaml.DocumentNode {
		value = doc
	} else if len(doc.Content) > 0 {
		value = doc.Content[0]
	}
	c := checkers.Get().(*checker)
	ok := c.check(sch, value) == nil
	c.ents = c.ents[:0]
	checkers.Put(c)
	if ok {
		return nil, nil
	}
	return problems(name, value)
}

// checkers keeps the checkers' entry stacks from one document to the next.
var checkers = sync.Pool{New: func() any { return new(checker) }}
