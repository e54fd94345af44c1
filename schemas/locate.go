package schemas

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// pathString renders a JSON pointer's segments as a.b[2].c.
func pathString(loc []string) string {
	var sb strings.Builder
	for _, seg := range loc {
		if _, err := strconv.Atoi(seg); err == nil {
			sb.WriteString("[" + seg + "]")
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte('.')
		}
		sb.WriteString(seg)
	}
	return sb.String()
}

// locator finds the nodes of problems: a document with many problems in a
// large mapping (100,000 unknown keys) must not cost a scan of the mapping
// per problem, so large mappings are indexed on first use.
type locator struct {
	root  *yaml.Node
	value any                           // the document as ToJSON converted it, which jsonschema checked
	index map[*yaml.Node]map[string]int // mapping -> key -> index of its key node
}

// child returns the value of key in mapping m (the first, as yaml.v3
// decodes), and the key node; nil when there is none.
func (l *locator) child(m *yaml.Node, key string) (k, v *yaml.Node) {
	if len(m.Content) <= 64 {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i], m.Content[i+1]
			}
		}
		return nil, nil
	}
	if l.index == nil {
		l.index = map[*yaml.Node]map[string]int{}
	}
	idx, ok := l.index[m]
	if !ok {
		idx = make(map[string]int, len(m.Content)/2)
		for i := 0; i+1 < len(m.Content); i += 2 {
			if _, dup := idx[m.Content[i].Value]; !dup {
				idx[m.Content[i].Value] = i
			}
		}
		l.index[m] = idx
	}
	if i, ok := idx[key]; ok {
		return m.Content[i], m.Content[i+1]
	}
	return nil, nil
}

// locate follows loc from the root; it returns the deepest node reached and
// whether the whole path was found.
func (l *locator) locate(loc []string) (*yaml.Node, bool) {
	n := Deref(l.root)
	for _, seg := range loc {
		switch n.Kind {
		case yaml.MappingNode:
			_, next := l.child(n, seg)
			if next == nil {
				return n, false
			}
			n = Deref(next)
		case yaml.SequenceNode:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(n.Content) {
				return n, false
			}
			n = Deref(n.Content[i])
		default:
			return n, false
		}
	}
	return n, true
}

func (l *locator) keyNode(m *yaml.Node, key string) *yaml.Node {
	if m != nil && m.Kind == yaml.MappingNode {
		if k, _ := l.child(m, key); k != nil {
			return k
		}
	}
	return m
}

// valueAt returns the JSON value at an instance location jsonschema
// reported (a location the YAML tree may not resolve: a key that is not
// a scalar, a key a merge key brought).
func (l *locator) valueAt(loc []string) (any, bool) {
	v := l.value
	for _, seg := range loc {
		switch c := v.(type) {
		case map[string]any:
			next, ok := c[seg]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}
