package schemas

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"gopkg.in/yaml.v3"
)

// TooComplexError is returned for documents nested deeper than MaxDepth or
// expanding more than MaxAliasExpands nodes through aliases.
type TooComplexError struct {
	Line, Col int
	Reason    string
}

func (e *TooComplexError) Error() string { return "document too complex: " + e.Reason }

// ToJSON converts a YAML node to the values encoding/json would produce
// (map[string]any, []any, string, bool, nil, json.Number). Duplicate keys keep
// their first value; merge keys (<<) are applied. Nesting and alias expansion
// are bounded.
func ToJSON(n *yaml.Node) (any, error) {
	c := converter{}
	return c.conv(n, 0, false)
}

type converter struct {
	aliasNodes int
}

func (c *converter) conv(n *yaml.Node, depth int, viaAlias bool) (any, error) {
	if n == nil {
		return nil, nil
	}
	if depth > MaxDepth {
		return nil, &TooComplexError{Line: n.Line, Col: n.Column, Reason: fmt.Sprintf("nested deeper than %d levels", MaxDepth)}
	}
	if viaAlias {
		c.aliasNodes++
		if c.aliasNodes > MaxAliasExpands {
			return nil, &TooComplexError{Line: n.Line, Col: n.Column, Reason: fmt.Sprintf("aliases expand to more than %d nodes", MaxAliasExpands)}
		}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.conv(n.Content[0], depth, viaAlias)
	case yaml.AliasNode:
		return c.conv(n.Alias, depth+1, true)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.conv(e, depth+1, viaAlias)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				merges = append(merges, v)
				continue
			}
			key := k.Value
			if k.Kind != yaml.ScalarNode {
				key = fmt.Sprintf("<%s at line %d>", kindName(k), k.Line)
			}
			if _, dup := out[key]; dup {
				continue
			}
			val, err := c.conv(v, depth+1, viaAlias)
			if err != nil {
				return nil, err
			}
			out[key] = val
		}
		for _, m := range merges {
			mv, err := c.conv(m, depth+1, viaAlias)
			if err != nil {
				return nil, err
			}
			srcs, _ := mv.([]any)
			if mm, ok := mv.(map[string]any); ok {
				srcs = []any{mm}
			}
			for _, s := range srcs {
				if mm, ok := s.(map[string]any); ok {
					for k, v := range mm {
						if _, ok := out[k]; !ok {
							out[k] = v
						}
					}
				}
			}
		}
		return out, nil
	}
	return scalar(n), nil
}

// scalar converts a scalar by its resolved tag.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return json.Number(strconv.FormatInt(i, 10))
		}
		var u uint64
		if n.Decode(&u) == nil {
			return json.Number(strconv.FormatUint(u, 10))
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	return n.Value
}
