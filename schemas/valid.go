package schemas

import (
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// checker walks a YAML document against a compiled schema, reading the
// yaml.Node tree as ToJSON would convert it (aliases followed, merge keys
// applied, the first of repeated keys kept, keys that are not scalars
// named "<a mapping at line N>") without converting it. It has two modes,
// one walk:
//   - as a predicate (explain false) it stops at the first failure and
//     builds nothing, so checking a valid document allocates nothing
//     (checkers, with their entry stacks, are pooled: see ValidateDoc);
//   - explaining, it goes on past failures and returns the tree of
//     everything that failed, as JSON Schema 2020-12 evaluates it (the
//     jsonschema library's error tree, which the tests hold it to), for
//     words.go to word.
type checker struct {
	ents    []entry // stack of the entries of the mappings being checked
	explain bool
	loc     []string // explaining: the instance location being checked
}

// entry is one key of a mapping as ToJSON makes it.
type entry struct {
	key  string
	k, v *yaml.Node
}

// failure is what failed: a keyword, or a group of failures.
type failure uint8

const (
	failFalse     failure = iota // the false schema
	failType                     // type: t is the value's
	failConst                    // const
	failEnum                     // enum
	failRequired                 // required: names are the missing fields
	failUnknown                  // additionalProperties false: names (and keys) are the unknown fields
	failMinLength                // minLength: got, want
	failMinItems                 // minItems: got, want
	failMinProps                 // minProperties: got, want
	failMaxProps                 // maxProperties: got, want
	failPattern                  // pattern
	failUnique                   // uniqueItems: got and want are the indexes of two equal items
	failOneOfMany                // oneOf: got and want are the indexes of two alternatives that hold
	failGroup                    // several keywords of one schema, allOf, $ref: causes
	failAnyOf                    // anyOf: causes are the alternatives' failures, in order
	failOneOf                    // oneOf, no alternative holds: causes as for anyOf
)

// verr is one failure of a value against a schema; a predicate returns
// the shared invalid for every failure.
type verr struct {
	fail      failure
	loc       []string   // instance location
	s         *schema    // the schema whose keyword failed
	n         *yaml.Node // the value (nil for null)
	t         jsonType   // the value's type
	got, want int
	names     []string
	keys      []*yaml.Node // failUnknown: the key node of each name
	causes    []*verr
}

var invalid = &verr{}

// fails records failure e in errs and reports whether the check must stop
// (a predicate stops at the first failure).
func (c *checker) fails(errs *[]*verr, e *verr) bool {
	if !c.explain {
		return true
	}
	*errs = append(*errs, e)
	return false
}

// leaf is a failure of a keyword of s at value n.
func (c *checker) leaf(f failure, s *schema, n *yaml.Node, t jsonType) *verr {
	if !c.explain {
		return invalid
	}
	return &verr{fail: f, loc: slices.Clone(c.loc), s: s, n: n, t: t}
}

// group is the failure of s made of errs, or nil when there is none.
func (c *checker) group(f failure, s *schema, n *yaml.Node, t jsonType, errs []*verr) *verr {
	switch {
	case len(errs) == 0:
		return nil
	case len(errs) == 1 && f == failGroup:
		return errs[0]
	}
	e := c.leaf(f, s, n, t)
	e.causes = errs
	return e
}

// check returns nil when the value of node n (nil for null) is valid
// against s, else its failure.
func (c *checker) check(s *schema, n *yaml.Node) *verr {
	n = Deref(n)
	if s.always != nil {
		if *s.always {
			return nil
		}
		return c.leaf(failFalse, s, n, typeOfNode(n))
	}
	t := typeOfNode(n)
	if s.types != 0 && s.types&t == 0 && (s.types&integerType == 0 || t != numberType || !isInteger(n)) {
		return c.leaf(failType, s, n, t)
	}
	if s.hasConst && !equalValue(n, t, s.constV) {
		return c.leaf(failConst, s, n, t)
	}
	if s.enum != nil && !slices.ContainsFunc(s.enum, func(w any) bool { return equalValue(n, t, w) }) {
		return c.leaf(failEnum, s, n, t)
	}
	var errs []*verr
	if s.ref != nil {
		if e := c.check(s.ref, n); e != nil && c.fails(&errs, e) {
			return e
		}
	}
	var e *verr
	switch t {
	case objectType:
		e = c.object(s, n, &errs)
	case arrayType:
		e = c.array(s, n, &errs)
	case stringType:
		e = c.str(s, n, &errs)
	}
	if e != nil {
		return e
	}
	if e := c.conditions(s, n, t, &errs); e != nil {
		return e
	}
	return c.group(failGroup, s, n, t, errs)
}

// str checks a string's keywords; it returns a predicate's failure, or
// records an explanation's in errs.
func (c *checker) str(s *schema, n *yaml.Node, errs *[]*verr) *verr {
	if s.minLength >= 0 {
		if l := utf8.RuneCountInString(n.Value); l < s.minLength {
			e := c.leaf(failMinLength, s, n, stringType)
			if c.explain {
				e.got, e.want = l, s.minLength
			}
			if c.fails(errs, e) {
				return e
			}
		}
	}
	if s.pattern != nil && !s.pattern.MatchString(n.Value) {
		if e := c.leaf(failPattern, s, n, stringType); c.fails(errs, e) {
			return e
		}
	}
	return nil
}

// conditions checks allOf, anyOf, oneOf and if/then/else.
func (c *checker) conditions(s *schema, n *yaml.Node, t jsonType, errs *[]*verr) *verr {
	if len(s.allOf) > 0 {
		var subs []*verr
		for _, sub := range s.allOf {
			if e := c.check(sub, n); e != nil && c.fails(&subs, e) {
				return e
			}
		}
		if e := c.group(failGroup, s, n, t, subs); e != nil {
			*errs = append(*errs, e)
		}
	}
	if len(s.anyOf) > 0 {
		var subs []*verr
		matched := false
		for _, sub := range s.anyOf {
			e := c.check(sub, n)
			if e == nil {
				matched = true
				break
			}
			if c.explain {
				subs = append(subs, e)
			}
		}
		if !matched {
			e := c.group(failAnyOf, s, n, t, subs)
			if e == nil || c.fails(errs, e) {
				return invalid
			}
		}
	}
	if len(s.oneOf) > 0 {
		var subs []*verr
		matched := -1
		for i, sub := range s.oneOf {
			if matched >= 0 {
				if c.valid(sub, n) {
					e := c.leaf(failOneOfMany, s, n, t)
					if c.explain {
						e.got, e.want = matched, i
					}
					if c.fails(errs, e) {
						return e
					}
					break
				}
				continue
			}
			e := c.check(sub, n)
			if e == nil {
				matched = i
			} else if c.explain {
				subs = append(subs, e)
			}
		}
		if matched < 0 {
			e := c.group(failOneOf, s, n, t, subs)
			if e == nil || c.fails(errs, e) {
				return invalid
			}
		}
	}
	if s.ifS != nil {
		next := s.elseS
		if c.valid(s.ifS, n) {
			next = s.thenS
		}
		if next != nil {
			if e := c.check(next, n); e != nil && c.fails(errs, e) {
				return e
			}
		}
	}
	return nil
}

// valid reports whether n is valid against s, explaining nothing whatever
// the mode (for if, and the alternatives of a oneOf past the first that
// holds).
func (c *checker) valid(s *schema, n *yaml.Node) bool {
	if !c.explain {
		return c.check(s, n) == nil
	}
	c.explain = false
	ok := c.check(s, n) == nil
	c.explain = true
	return ok
}

// object checks a mapping's keywords.
func (c *checker) object(s *schema, n *yaml.Node, errs *[]*verr) *verr {
	if s.minProps < 0 && s.maxProps < 0 && s.required == nil && s.props == nil && !s.noAddl && s.addl == nil {
		return nil
	}
	base := len(c.ents)
	c.entries(n)
	defer func() { c.ents = c.ents[:base] }()
	ents := c.ents[base:]
	if s.minProps >= 0 && len(ents) < s.minProps {
		e := c.leaf(failMinProps, s, n, objectType)
		if c.explain {
			e.got, e.want = len(ents), s.minProps
		}
		if c.fails(errs, e) {
			return e
		}
	}
	if s.maxProps >= 0 && len(ents) > s.maxProps {
		e := c.leaf(failMaxProps, s, n, objectType)
		if c.explain {
			e.got, e.want = len(ents), s.maxProps
		}
		if c.fails(errs, e) {
			return e
		}
	}
	for _, r := range s.required {
		if !hasKey(ents, r) {
			if !c.explain {
				return invalid
			}
			var missing []string
			for _, r := range s.required {
				if !hasKey(ents, r) {
					missing = append(missing, r)
				}
			}
			e := c.leaf(failRequired, s, n, objectType)
			e.names = missing
			*errs = append(*errs, e)
			break
		}
	}
	var unknown *verr
	for _, en := range ents {
		sub, ok := s.props[en.key]
		if !ok {
			if s.noAddl {
				if !c.explain {
					return invalid
				}
				if unknown == nil {
					unknown = c.leaf(failUnknown, s, n, objectType)
				}
				unknown.names = append(unknown.names, en.key)
				unknown.keys = append(unknown.keys, en.k)
				continue
			}
			if sub = s.addl; sub == nil {
				continue
			}
		}
		if c.explain {
			c.loc = append(c.loc, en.key)
		}
		e := c.check(sub, en.v)
		if c.explain {
			c.loc = c.loc[:len(c.loc)-1]
		}
		if e != nil && c.fails(errs, e) {
			return e
		}
	}
	if unknown != nil {
		*errs = append(*errs, unknown)
	}
	return nil
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
func (c *checker) array(s *schema, n *yaml.Node, errs *[]*verr) *verr {
	if s.minItems >= 0 && len(n.Content) < s.minItems {
		e := c.leaf(failMinItems, s, n, arrayType)
		if c.explain {
			e.got, e.want = len(n.Content), s.minItems
		}
		if c.fails(errs, e) {
			return e
		}
	}
	if s.unique && len(n.Content) > 1 {
		if i, j := duplicateItems(n.Content); i >= 0 {
			e := c.leaf(failUnique, s, n, arrayType)
			if c.explain {
				e.got, e.want = i, j
			}
			if c.fails(errs, e) {
				return e
			}
		}
	}
	if s.items != nil {
		for i, it := range n.Content {
			if c.explain {
				c.loc = append(c.loc, strconv.Itoa(i))
			}
			e := c.check(s.items, it)
			if c.explain {
				c.loc = c.loc[:len(c.loc)-1]
			}
			if e != nil && c.fails(errs, e) {
				return e
			}
		}
	}
	return nil
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
