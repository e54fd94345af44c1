package schemas

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

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
