package schemas

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/flowctl/flowctl/internal/words"
)

// Problem kinds of ReadDocument besides the schema's keywords (type,
// required, ...), so that each file format can map them to its own terms
// (a flow's rule ids, say).
const (
	ProblemSyntax    = "yaml-syntax"   // not YAML, or a second document
	ProblemLimit     = "limit"         // beyond MaxDepth, MaxNodes or MaxAliasExpands
	ProblemEmpty     = "empty"         // no document, or an empty one
	ProblemOtherKind = "other-kind"    // another kind of flowctl file
	ProblemDuplicate = "duplicate-key" // a key repeated in a mapping
	ProblemSchema    = "schema"        // the schema could not be checked at all
)

// Document is a flowctl file read by ReadDocument.
type Document struct {
	// Doc is the YAML document; nil when the source is not YAML or too
	// complex to read.
	Doc *yaml.Node
	// Root is the document's top-level node: nil when the file is empty,
	// not YAML, another kind of flowctl file, or past a bound. A Root with problems is
	// still read as far as it goes, so that one run reports everything.
	Root *yaml.Node
	// Dups are the repeated keys (each also a problem); Aliases tells
	// whether the document holds any alias.
	Dups    []Duplicate
	Aliases bool
	// Problems are every problem found, sorted by position.
	Problems []Problem
}

// ReadDocument reads src, the bytes of file, as the one YAML document of a
// flowctl file of kind (KindFlow, KindTest, KindOrg, KindConfig), the one
// way for every kind: the nesting and size limits (before the parser
// runs), YAML syntax at its line and column, an empty file (fine only for
// a kind without required fields), a second document, a file of another
// kind, repeated keys, and the kind's schema.
func ReadDocument(file string, src []byte, kind string) *Document {
	d := ReadTree(file, src, kind)
	if d.Root == nil {
		return d
	}
	d.Dups, d.Aliases = ScanKeys(d.Root)
	for _, dup := range d.Dups {
		d.add(dup.Key, ProblemDuplicate, fmt.Sprintf("key %q is duplicated; first defined at line %d, column %d", dup.Key.Value, dup.First.Line, dup.First.Column))
	}
	problems, err := ValidateDoc(schemaOf(kind), d.Doc, d.Aliases)
	if err != nil {
		if d.limit(info(kind), err) {
			d.Root = nil // past a bound: nothing more is read
		} else {
			d.add(d.Root, ProblemSchema, err.Error())
		}
		return d.sorted()
	}
	d.Problems = append(d.Problems, problems...)
	return d.sorted()
}

// ReadTree is the first part of ReadDocument, for a reader that needs only
// the tree of a file of kind: limits, syntax, empty file, a second
// document and another kind are problems; repeated keys and the schema are
// not checked (Dups and Aliases are not set).
func ReadTree(file string, src []byte, kind string) *Document {
	k := info(kind)
	d := &Document{}
	dec, err := Decode(src)
	if err != nil {
		d.limit(k, err)
		return d
	}
	if dec.DocErr != nil {
		if errors.Is(dec.DocErr, io.EOF) {
			d.empty(k)
		} else {
			d.Problems = append(d.Problems, syntax(src, dec.DocErr))
		}
		return d
	}
	d.Doc = &dec.Doc
	switch err := dec.ExtraErr; {
	case err == nil && !emptyDocument(&dec.Extra):
		d.add(&dec.Extra, ProblemSyntax, k.what+" holds one YAML document; remove the --- separator or split the file")
	case err != nil && !errors.Is(err, io.EOF):
		d.Problems = append(d.Problems, syntax(src, err))
	}
	root := d.Doc
	if root.Kind == yaml.DocumentNode {
		if emptyDocument(root) {
			d.empty(k)
			return d.sorted()
		}
		root = root.Content[0]
	}
	if n := Deref(root); n.Kind == yaml.ScalarNode && n.Tag == "!!null" && noneRequired(kind) {
		return d.sorted() // null (~) where nothing is required: every default
	}
	if msg := WrongKind(file, root, kind); msg != "" {
		d.add(root, ProblemOtherKind, msg)
		return d.sorted()
	}
	d.Root = root
	return d.sorted()
}

// limitMessage says which bound a document of kind k crossed and what the
// bounds are.
func limitMessage(k kindInfo, err *TooComplexError) string {
	return fmt.Sprintf("%s: flowctl reads %s files up to %d levels deep, of %d nodes at most, %d of them reached through aliases", err, k.name, MaxDepth, MaxNodes, MaxAliasExpands)
}

// limit adds a document too deep or too alias-heavy to read, and reports
// whether err was one.
func (d *Document) limit(k kindInfo, err error) bool {
	var tc *TooComplexError
	if !errors.As(err, &tc) {
		return false
	}
	d.Problems = append(d.Problems, Problem{Line: tc.Line, Col: tc.Col, Kind: ProblemLimit, Message: limitMessage(k, tc)})
	return true
}

// empty adds the problem of an empty file, unless the kind may be empty
// (it requires no field: every default).
func (d *Document) empty(k kindInfo) {
	_, required := topLevel(k.name)
	if len(required) == 0 {
		return
	}
	d.Problems = append(d.Problems, Problem{Line: 1, Col: 1, Kind: ProblemEmpty,
		Message: fmt.Sprintf("file is empty: %s needs %s", k.what, words.List(required, "and"))})
}

func (d *Document) add(n *yaml.Node, kind, msg string) {
	d.Problems = append(d.Problems, Problem{Line: n.Line, Col: n.Column, Kind: kind, Message: msg})
}

func (d *Document) sorted() *Document {
	slices.SortStableFunc(d.Problems, func(a, b Problem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return d
}

// syntax is a YAML syntax error as a problem at its position.
func syntax(src []byte, err error) Problem {
	p := SyntaxProblem(src, err)
	p.Kind = ProblemSyntax
	return p
}

// emptyDocument reports whether a document holds nothing: no node, or a
// null written as nothing (a trailing ---, a file of comments).
func emptyDocument(d *yaml.Node) bool {
	if len(d.Content) == 0 {
		return true
	}
	n := d.Content[0]
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == ""
}

// noneRequired reports whether a kind's files have no required field.
func noneRequired(kind string) bool {
	_, req := topLevel(kind)
	return len(req) == 0
}
