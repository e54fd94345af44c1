package schemas

import (
	"fmt"
	"slices"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// checker decides whether a YAML document is valid against a compiled
// schema, reading the yaml.Node tree as ToJSON would convert it (aliases
// followed, merge keys applied, the first of repeated keys kept, keys that
// are not scalars named "<a mapping at line N>") without converting it.
// It is a predicate only: it stops at the first error and builds nothing,
// so checking a valid document allocates nothing (checkers, with their
// entry stacks, are pooled: see ValidateDoc). The problems of
// an invalid document are found and worded with the jsonschema library
// (words.go); the tests hold the two to the same verdict on every document.
type checker struct {
	ents []entry // stack of the entries of the mappings being checked
}

// entry is one key of a mapping as ToJSON makes it.
type entry struct {
	key  string
	k, v *yaml.Node
}

// valid reports whether the value of node n (nil for null) is valid
// against s.
func (c *checker) valid(s *schema, n *yaml.Node) bool {
	n = Deref(n)
	if s.always != nil {
		return *s.always
	}
	t := typeOfNode(n)
	if s.types != 0 && s.types&t == 0 && (s.types&integerType == 0 || t != numberType || !isInteger(n)) {
		return false
	}
	if s.hasConst && !equalValue(n, t, s.constV) {
		return false
	}
	if s.enum != nil && !slices.ContainsFunc(s.enum, func(w any) bool { return equalValue(n, t, w) }) {
		return false
	}
	if s.ref != nil && !c.valid(s.ref, n) {
		return false
	}
	switch t {
	case objectType:
		if !c.object(s, n) {
			return false
		}
	case arrayType:
		if !c.array(s, n) {
			return false
		}
	case stringType:
		if s.minLength >= 0 && utf8.RuneCountInString(n.Value) < s.minLength {
			return false
		}
		if s.pattern != nil && !s.pattern.MatchString(n.Value) {
			return false
		}
	}
	return c.conditions(s, n)
}

// conditions checks allOf, anyOf, oneOf and if/then/else.
func (c *checker) conditions(s *schema, n *yaml.Node) bool {
	for _, sub := range s.allOf {
		if !c.valid(sub, n) {
			return false
		}
	}
	if len(s.anyOf) > 0 && !slices.ContainsFunc(s.anyOf, func(sub *schema) bool { return c.valid(sub, n) }) {
		return false
	}
	if len(s.oneOf) > 0 {
		matched := 0
		for _, sub := range s.oneOf {
			if c.valid(sub, n) {
				matched++
			}
		}
		if matched != 1 {
			return false
		}
	}
	if s.ifS != nil {
		next := s.elseS
		if c.valid(s.ifS, n) {
			next = s.thenS
		}
		if next != nil && !c.valid(next, n) {
			return false
		}
	}
	return true
}

// object checks a mapping's keywords.
func (c *checker) object(s *schema, n *yaml.Node) bool {
	if s.minProps < 0 && s.maxProps < 0 && s.required == nil && s.props == nil && !s.noAddl && s.addl == nil {
		return true
	}
	base := len(c.ents)
	c.entries(n)
	defer func() { c.ents = c.ents[:base] }()
	ents := c.ents[base:]
	if s.minProps >= 0 && len(ents) < s.minProps || s.maxProps >= 0 && len(ents) > s.maxProps {
		return false
	}
	for _, r := range s.required {
		if !hasKey(ents, r) {
			return false
		}
	}
	for _, e := range ents {
		sub, ok := s.props[e.key]
		if !ok {
			if s.noAddl {
				return false
			}
			if sub = s.addl; sub == nil {
				continue
			}
		}
		if !c.valid(sub, e.v) {
			return false
		}
	}
	return true
}

// hasKey reports whether a mapping's entries hold key.
func hasKey(ents []entry, key string) bool {
	for _, e := range ents {
		if e.key == key {
			return true
		}
	}
	return false
}

// array checks a sequence's keywords.
func (c *checker) array(s *schema, n *yaml.Node) bool {
	if s.minItems >= 0 && len(n.Content) < s.minItems {
		return false
	}
	if s.unique && len(n.Content) > 1 && hasDuplicateItems(n.Content) {
		return false
	}
	if s.items != nil {
		for _, e := range n.Content {
			if !c.valid(s.items, e) {
				return false
			}
		}
	}
	return true
}

// entries pushes the entries of mapping n onto c.ents, as ToJSON makes
// them: its own keys (the first of repeated keys), then the keys its
// merge keys add.
func (c *checker) entries(n *yaml.Node) {
	var index map[string]bool // of a large mapping's keys
	if len(n.Content) > 64 {
		index = make(map[string]bool, len(n.Content)/2)
	}
	c.pushEntries(n, len(c.ents), index, 0)
}

func (c *checker) pushEntries(n *yaml.Node, base int, index map[string]bool, depth int) {
	n = Deref(n)
	if n == nil || depth > MaxDepth {
		return
	}
	switch n.Kind {
	case yaml.SequenceNode: // the mappings of a merge key's list
		if depth == 0 {
			return
		}
		for _, e := range n.Content {
			if e = Deref(e); e != nil && e.Kind == yaml.MappingNode {
				c.pushEntries(e, base, index, depth+1)
			}
		}
	case yaml.MappingNode:
		merges := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				merges = true
				continue
			}
			key := keyString(k)
			if index != nil {
				if index[key] {
					continue
				}
				index[key] = true
			} else if hasKey(c.ents[base:], key) {
				continue
			}
			c.ents = append(c.ents, entry{key, k, n.Content[i+1]})
		}
		if !merges {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				c.pushEntries(n.Content[i+1], base, index, depth+1)
			}
		}
	}
}

// keyString is a mapping key as ToJSON names it.
func keyString(k *yaml.Node) string {
	if k.Kind == yaml.ScalarNode {
		return k.Value
	}
	return fmt.Sprintf("<%s at line %d>", kindName(k), k.Line)
}
