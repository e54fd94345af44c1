package org

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/internal/lazyre"
	"github.com/flowctl/flowctl/schemas"
	"gopkg.in/yaml.v3"
)

// Problem is one error in an org file, at a 1-based line and column.
type Problem struct {
	Line, Col int
	Message   string
}

// Error lists every problem of an invalid org file.
type Error struct {
	File     string
	Problems []Problem // sorted by position
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid org file %s:", e.File)
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  %s:%d:%d: %s", e.File, p.Line, p.Col, p.Message)
	}
	return b.String()
}

// Load reads, validates and completes an org file.
func Load(path string) (*File, error) {
	data, err := schemas.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read org file: %w", err)
	}
	return Parse(path, data)
}

// Parse validates data (named file in errors) against the org schema and
// the org file's reference rules, and fills in missing ids.
func Parse(file string, data []byte) (*File, error) {
	var doc yaml.Node
	dec, err := schemas.NewDecoder(data)
	if tc := (*schemas.TooComplexError)(nil); errors.As(err, &tc) {
		return nil, &Error{File: file, Problems: []Problem{{Line: tc.Line, Col: tc.Col, Message: tc.Error()}}}
	} else if err != nil {
		return nil, err
	}
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		pr := schemas.SyntaxProblem(data, err)
		return nil, &Error{File: file, Problems: []Problem{{Line: pr.Line, Col: pr.Col, Message: pr.Message}}}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: file, Problems: []Problem{{Line: 1, Col: 1, Message: "empty org file"}}}
	}
	if msg := schemas.WrongKind(file, doc.Content[0], schemas.KindOrg); msg != "" {
		return nil, &Error{File: file, Problems: []Problem{{Line: doc.Content[0].Line, Col: doc.Content[0].Column, Message: msg}}}
	}
	oe := &Error{File: file, Problems: duplicateKeys(&doc)}
	problems, err := schemas.Validate("org", &doc)
	if err != nil {
		return nil, fmt.Errorf("org file %s: %w", file, err)
	}
	for _, p := range problems {
		msg := p.Message
		if strings.HasPrefix(p.Path, "divisions[") && strings.HasSuffix(p.Path, "].name") && strings.Contains(msg, "pattern") {
			msg = `"*" is no division name: it stands for all divisions in grants`
		}
		if strings.HasPrefix(p.Path, "roles[") && strings.Contains(p.Path, "].permissions[") && p.Kind == "pattern" {
			msg = fmt.Sprintf("%q is no permission: write domain:entity:action (each part may be *), e.g. %s", p.Value, genesys.PermQueueView)
		}
		if p.Path != "" && p.Key == "" {
			msg = p.Path + ": " + msg
		}
		oe.Problems = append(oe.Problems, Problem{Line: p.Line, Col: p.Col, Message: msg})
	}
	var org File
	if err := doc.Decode(&org); err != nil {
		// With schema problems, a type error is one of them (the rest of
		// the file is decoded): the references can still be checked.
		var te *yaml.TypeError
		if len(oe.Problems) == 0 || !errors.As(err, &te) {
			oe.Problems = append(oe.Problems, decodeProblems(err)...)
			return nil, oe.sorted()
		}
	}
	c := &orgChecker{root: doc.Content[0], org: &org, unreadable: unreadable(doc.Content[0], problems)}
	c.fillIDs()
	c.check()
	oe.Problems = append(oe.Problems, c.problemsBeyond(oe.Problems)...)
	if len(oe.Problems) > 0 {
		return nil, oe.sorted()
	}
	return &org, nil
}

// duplicateKeys reports each repeated key of every mapping at its own
// position (yaml.v3 would report only the first, without a column).
func duplicateKeys(doc *yaml.Node) []Problem {
	var out []Problem
	for _, d := range schemas.DuplicateKeys(doc) {
		out = append(out, Problem{Line: d.Key.Line, Col: d.Key.Column, Message: fmt.Sprintf("key %q is duplicated; first defined at line %d, column %d", d.Key.Value, d.First.Line, d.First.Column)})
	}
	return out
}

var yamlTypeLine = lazyre.New(`^line (\d+): (.*)$`)

// decodeProblems turns a decoding error into one problem per line it holds.
func decodeProblems(err error) []Problem {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []Problem{{Line: 1, Col: 1, Message: err.Error()}}
	}
	var out []Problem
	for _, msg := range te.Errors {
		p := Problem{Line: 1, Col: 1, Message: msg}
		if m := yamlTypeLine.FindStringSubmatch(msg); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Message = m[2]
		}
		out = append(out, p)
	}
	return out
}

func (e *Error) sorted() *Error {
	slices.SortStableFunc(e.Problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return e
}

// IsError reports whether err is an invalid org file.
func IsError(err error) bool {
	var oe *Error
	return errors.As(err, &oe)
}
