package org

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/internal/lazyre"
	"github.com/flowctl/flowctl/schemas"
	"gopkg.in/yaml.v3"
)

// Problem is one error in an org file, at a 1-based line and column: the
// problem type of every flowctl file reader.
type Problem = schemas.Problem

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
	d := schemas.ReadDocument(file, data, schemas.KindOrg)
	oe := &Error{File: file}
	var problems []schemas.Problem // the schema's
	for _, p := range d.Problems {
		switch p.Kind {
		case schemas.ProblemSyntax, schemas.ProblemLimit, schemas.ProblemEmpty, schemas.ProblemOtherKind, schemas.ProblemDuplicate, schemas.ProblemSchema:
			oe.Problems = append(oe.Problems, p)
		default:
			problems = append(problems, p)
		}
	}
	if d.Root == nil {
		return nil, oe.sorted() // nothing more can be read
	}
	doc := d.Doc
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
	c := &orgChecker{root: d.Root, org: &org, unreadable: unreadable(d.Root, problems)}
	c.fillIDs()
	c.check()
	oe.Problems = append(oe.Problems, c.problemsBeyond(oe.Problems)...)
	if len(oe.Problems) > 0 {
		return nil, oe.sorted()
	}
	return &org, nil
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
