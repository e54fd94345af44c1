package schemas

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// checker validates a YAML document against a compiled schema, reading
// the yaml.Node tree as ToJSON would convert it (aliases followed, merge
// keys applied, the first of repeated keys kept, keys that are not scalars
// named "<a mapping at line N>") without converting it. It follows the
// validation order and error tree of JSON Schema validators (the one
// flowctl used before, santhosh-tekuri/jsonschema, is the oracle of the
// tests), so that problems are found and worded as they were.
//
// In valid mode it only decides validity: it stops at the first error and
// builds nothing, so checking a valid document allocates next to nothing.
type checker struct {
	valid bool
	loc   []string // instance location of the value being checked
	ents  []entry  // stack of the entries of the mappings being checked
}

// entry is one key of a mapping as ToJSON makes it.
type entry struct {
	key  string
	k, v *yaml.Node
}

// errKind is the keyword (or the wrapper) behind a verr.
type errKind uint8

const (
	kGroup errKind = iota // several errors of one schema
	kRef                  // the errors of a $ref's target
	kAllOf
	kAnyOf
	kFalse
	kType
	kConst
	kEnum
	kRequired
	kAdditional
	kMinLength
	kMinItems
	kMinProps
	kMaxProps
	kPattern
	kUnique
)

// verr is a validation error: a keyword that failed at an instance
// location, or a wrapper of the errors below it (causes).
type verr struct {
	kind     errKind
	loc      []string
	causes   []*verr
	got      jsonType // kType
	want     jsonType // kType
	names    []string // kRequired: the missing fields; kAdditional: the unknown ones
	fields   []string // kAdditional: the fields declared there
	n1, n2   int      // counts got and wanted; kUnique: the equal items
	pattern  string
	enum     []any
	constant any
}

// errInvalid is what valid mode returns for any error.
var errInvalid = &verr{}

func (c *checker) fail(e *verr) *verr {
	if c.valid {
		return errInvalid
	}
	e.loc = slices.Clone(c.loc)
	return e
}

// validate checks the value of node n (nil for null) against s.
func (c *checker) validate(s *schema, n *yaml.Node) *verr {
	n = Deref(n)
	if s.always != nil {
		if *s.always {
			return nil
		}
		return c.fail(&verr{kind: kFalse})
	}
	t := typeOfNode(n)
	if s.types != 0 && s.types&t == 0 && (s.types&integerType == 0 || t != numberType || !isInteger(n)) {
		return c.fail(&verr{kind: kType, got: t, want: s.types})
	}
	if s.hasConst && !equalJSON(jsonValue(n), s.constV) {
		return c.fail(&verr{kind: kConst, constant: s.constV})
	}
	if s.enum != nil && !slices.ContainsFunc(s.enum, func(w any) bool { return equalJSON(jsonValue(n), w) }) {
		return c.fail(&verr{kind: kEnum, enum: s.enum})
	}
	var errs []*verr
	if s.ref != nil {
		if e := c.validate(s.ref, n); e != nil {
			if c.valid {
				return e
			}
			r := c.fail(&verr{kind: kRef})
			if e.kind == kGroup {
				r.causes = e.causes
			} else {
				r.causes = []*verr{e}
			}
			errs = append(errs, r)
		}
	}
	var stop bool
	switch t {
	case objectType:
		errs, stop = c.object(s, n, errs)
	case arrayType:
		errs, stop = c.array(s, n, errs)
	case stringType:
		errs, stop = c.str(s, n, errs)
	}
	if stop {
		return errInvalid
	}
	if e := c.conditions(s, n); e != nil {
		if c.valid {
			return e
		}
		errs = append(errs, e)
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	g := c.fail(&verr{kind: kGroup})
	g.causes = errs
	return g
}

// str checks a string's keywords. Like object and array, it appends the
// errors to errs and says whether valid mode stops (at the first error).
func (c *checker) str(s *schema, n *yaml.Node, errs []*verr) ([]*verr, bool) {
	if s.minLength >= 0 {
		if l := utf8.RuneCountInString(n.Value); l < s.minLength {
			if c.valid {
				return errs, true
			}
			errs = append(errs, c.fail(&verr{kind: kMinLength, n1: l, n2: s.minLength}))
		}
	}
	if s.pattern != nil && !s.pattern.MatchString(n.Value) {
		if c.valid {
			return errs, true
		}
		errs = append(errs, c.fail(&verr{kind: kPattern, pattern: s.pattern.String()}))
	}
	return errs, false
}

// conditions checks allOf, anyOf and if/then/else.
func (c *checker) conditions(s *schema, n *yaml.Node) *verr {
	var errs []*verr
	if len(s.allOf) > 0 {
		var causes []*verr
		for _, sub := range s.allOf {
			if e := c.validate(sub, n); e != nil {
				if c.valid {
					return e
				}
				causes = append(causes, e)
			}
		}
		if causes != nil {
			e := c.fail(&verr{kind: kAllOf})
			e.causes = causes
			errs = append(errs, e)
		}
	}
	if len(s.anyOf) > 0 {
		var causes []*verr
		matched := false
		for _, sub := range s.anyOf {
			e := c.validate(sub, n)
			if e == nil {
				matched = true
				break
			}
			causes = append(causes, e)
		}
		if !matched {
			if c.valid {
				return errInvalid
			}
			e := c.fail(&verr{kind: kAnyOf})
			e.causes = causes
			errs = append(errs, e)
		}
	}
	if s.ifS != nil {
		saved := c.valid
		c.valid = true
		ok := c.validate(s.ifS, n) == nil
		c.valid = saved
		next := s.elseS
		if ok {
			next = s.thenS
		}
		if next != nil {
			if e := c.validate(next, n); e != nil {
				if c.valid {
					return e
				}
				errs = append(errs, e)
			}
		}
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	g := c.fail(&verr{kind: kGroup})
	g.causes = errs
	return g
}

// object checks a mapping's keywords.
func (c *checker) object(s *schema, n *yaml.Node, errs []*verr) ([]*verr, bool) {
	if s.minProps < 0 && s.maxProps < 0 && s.required == nil && s.props == nil && !s.noAddl && s.addl == nil {
		return errs, false
	}
	base := len(c.ents)
	c.entries(n)
	ents := c.ents[base:]
	defer func() { c.ents = c.ents[:base] }()
	if s.minProps >= 0 && len(ents) < s.minProps {
		if c.valid {
			return errs, true
		}
		errs = append(errs, c.fail(&verr{kind: kMinProps, n1: len(ents), n2: s.minProps}))
	}
	if s.maxProps >= 0 && len(ents) > s.maxProps {
		if c.valid {
			return errs, true
		}
		errs = append(errs, c.fail(&verr{kind: kMaxProps, n1: len(ents), n2: s.maxProps}))
	}
	var missing []string
	for _, r := range s.required {
		if !hasKey(ents, r) {
			if c.valid {
				return errs, true
			}
			missing = append(missing, r)
		}
	}
	if missing != nil {
		errs = append(errs, c.fail(&verr{kind: kRequired, names: missing}))
	}
	var unknown []string
	for _, e := range ents {
		sub, ok := s.props[e.key]
		if !ok {
			if s.noAddl {
				if c.valid {
					return errs, true
				}
				unknown = append(unknown, e.key)
				continue
			}
			if sub = s.addl; sub == nil {
				continue
			}
		}
		if !c.valid {
			c.loc = append(c.loc, e.key)
		}
		err := c.validate(sub, e.v)
		if !c.valid {
			c.loc = c.loc[:len(c.loc)-1]
		}
		if err != nil {
			if c.valid {
				return errs, true
			}
			errs = append(errs, err)
		}
	}
	if unknown != nil {
		errs = append(errs, c.fail(&verr{kind: kAdditional, names: unknown, fields: s.fields}))
	}
	return errs, false
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
func (c *checker) array(s *schema, n *yaml.Node, errs []*verr) ([]*verr, bool) {
	if s.minItems >= 0 && len(n.Content) < s.minItems {
		if c.valid {
			return errs, true
		}
		errs = append(errs, c.fail(&verr{kind: kMinItems, n1: len(n.Content), n2: s.minItems}))
	}
	if s.unique && len(n.Content) > 1 {
		if i, j := duplicateItems(n.Content); i >= 0 {
			if c.valid {
				return errs, true
			}
			errs = append(errs, c.fail(&verr{kind: kUnique, n1: i, n2: j}))
		}
	}
	if s.items == nil {
		return errs, false
	}
	for i, e := range n.Content {
		if !c.valid {
			c.loc = append(c.loc, strconv.Itoa(i))
		}
		err := c.validate(s.items, e)
		if !c.valid {
			c.loc = c.loc[:len(c.loc)-1]
		}
		if err != nil {
			if c.valid {
				return errs, true
			}
			errs = append(errs, err)
		}
	}
	return errs, false
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

// typeOfNode is the JSON type ToJSON gives a (dereferenced) node.
func typeOfNode(n *yaml.Node) jsonType {
	if n == nil {
		return nullType
	}
	switch n.Kind {
	case yaml.MappingNode:
		return objectType
	case yaml.SequenceNode:
		return arrayType
	case yaml.AliasNode: // without a target
		return nullType
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nullType
		}
		return typeOfNode(Deref(n.Content[0]))
	case yaml.ScalarNode:
		if n.Style&yaml.TaggedStyle == 0 {
			// The parser resolved the tag from the plain text, so it
			// decodes: skip decoding it again.
			switch n.Tag {
			case "!!str":
				return stringType
			case "!!null":
				return nullType
			case "!!bool":
				return booleanType
			case "!!int":
				return numberType
			}
		}
	}
	switch scalar(n).(type) {
	case nil:
		return nullType
	case bool:
		return booleanType
	case json.Number:
		return numberType
	}
	return stringType
}

// jsonValue is a scalar's value as ToJSON converts it; lists and mappings
// are converted whole (aliases are bounded by then: see boundAliases).
func jsonValue(n *yaml.Node) any {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return scalar(n)
	}
	v, _ := ToJSON(n)
	return v
}

func isInteger(n *yaml.Node) bool {
	num, ok := jsonValue(n).(json.Number)
	if !ok {
		return false
	}
	r, ok := new(big.Rat).SetString(string(num))
	return ok && r.IsInt()
}

// equalJSON compares two JSON values as JSON Schema does: numbers by
// value, lists item by item, objects key by key.
func equalJSON(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case bool:
		b, ok := b.(bool)
		return ok && a == b
	case string:
		b, ok := b.(string)
		return ok && a == b
	case json.Number:
		b, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, ok1 := new(big.Rat).SetString(string(a))
		y, ok2 := new(big.Rat).SetString(string(b))
		return ok1 && ok2 && x.Cmp(y) == 0
	case []any:
		b, ok := b.([]any)
		return ok && slices.EqualFunc(a, b, equalJSON)
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !equalJSON(v, w) {
				return false
			}
		}
		return true
	}
	return false
}

// duplicateItems returns the first pair of equal items (the earlier one
// first), or -1, -1: the pair JSON Schema's uniqueItems reports.
func duplicateItems(items []*yaml.Node) (int, int) {
	first := make(map[string]int, len(items))
	for i, it := range items {
		key := canonicalJSON(jsonValue(Deref(it)))
		if j, ok := first[key]; ok {
			return j, i
		}
		first[key] = i
	}
	return -1, -1
}

// canonicalJSON is a text that two JSON values share exactly when
// equalJSON holds (numbers by value, objects whatever their key order).
func canonicalJSON(v any) string {
	var sb strings.Builder
	writeCanonical(&sb, v)
	return sb.String()
}

func writeCanonical(sb *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		sb.WriteString("null")
	case bool:
		sb.WriteString(strconv.FormatBool(v))
	case string:
		sb.WriteString(strconv.Quote(v))
	case json.Number:
		if r, ok := new(big.Rat).SetString(string(v)); ok {
			sb.WriteString(r.RatString())
		} else {
			sb.WriteString("?" + string(v))
		}
	case []any:
		sb.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeCanonical(sb, e)
		}
		sb.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		sb.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.Quote(k) + ":")
			writeCanonical(sb, v[k])
		}
		sb.WriteByte('}')
	}
}

// boundAliases refuses, with the error ToJSON would give, a document that
// ToJSON refuses: nested deeper than MaxDepth through aliases, or
// expanding more than MaxAliasExpands nodes through them. It walks the
// tree in ToJSON's order without converting it.
func boundAliases(doc *yaml.Node) error {
	var b aliasBound
	return b.walk(doc, 0, false)
}

type aliasBound struct {
	aliasNodes int
}

func (b *aliasBound) walk(n *yaml.Node, depth int, viaAlias bool) error {
	if n == nil {
		return nil
	}
	if depth > MaxDepth {
		return &TooComplexError{Line: n.Line, Col: n.Column, Reason: fmt.Sprintf("nested deeper than %d levels", MaxDepth)}
	}
	if viaAlias {
		b.aliasNodes++
		if b.aliasNodes > MaxAliasExpands {
			return &TooComplexError{Line: n.Line, Col: n.Column, Reason: fmt.Sprintf("aliases expand to more than %d nodes", MaxAliasExpands)}
		}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return b.walk(n.Content[0], depth, viaAlias)
	case yaml.AliasNode:
		return b.walk(n.Alias, depth+1, true)
	case yaml.SequenceNode:
		for _, e := range n.Content {
			if err := b.walk(e, depth+1, viaAlias); err != nil {
				return err
			}
		}
	case yaml.MappingNode:
		var seen map[string]bool // of a large mapping's keys
		if len(n.Content) > 64 {
			seen = make(map[string]bool, len(n.Content)/2)
		}
		merges := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				merges = true
				continue
			}
			if seen != nil {
				key := keyString(k)
				if seen[key] {
					continue
				}
				seen[key] = true
			} else if repeatedKey(n.Content, i) {
				continue
			}
			if err := b.walk(n.Content[i+1], depth+1, viaAlias); err != nil {
				return err
			}
		}
		if !merges {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				if err := b.walk(n.Content[i+1], depth+1, viaAlias); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// repeatedKey reports whether the key at content[i] repeats an earlier
// key of the mapping as ToJSON names keys (merge keys aside).
func repeatedKey(content []*yaml.Node, i int) bool {
	k := content[i]
	for j := 0; j < i; j += 2 {
		p := content[j]
		if p.Kind == yaml.ScalarNode && p.Tag == "!!merge" {
			continue
		}
		if p.Kind == yaml.ScalarNode && k.Kind == yaml.ScalarNode {
			if p.Value == k.Value {
				return true
			}
		} else if keyString(p) == keyString(k) {
			return true
		}
	}
	return false
}
