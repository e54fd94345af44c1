package schemas

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/internal/words"
	"gopkg.in/yaml.v3"
)

// The kinds of flowctl file, named as their schemas.
const (
	KindFlow   = "flow"
	KindTest   = "test"
	KindOrg    = "org"
	KindConfig = "config"
)

// kindInfo is how messages speak of a kind of file and what to do with one.
type kindInfo struct {
	name    string
	what    string   // "a flow file"
	names   []string // conventional file names: suffixes, or whole names for config
	instead string   // what to do with such a file; %s is its path
}

var kindInfos = []kindInfo{
	{KindFlow, "a flow file", []string{".flow.yaml", ".flow.yml"},
		"check it with flowctl validate %s"},
	{KindTest, "a conversation test file", []string{".test.yaml", ".test.yml"},
		"run it with flowctl test %s"},
	{KindOrg, "an org file", []string{".org.yaml", ".org.yml"},
		"check flows' queues against it with flowctl validate --org %s FLOWS (which checks the org file too)"},
	{KindConfig, "the project config file", []string{"flowctl.yaml", "flowctl.yml"},
		"flowctl reads it by itself in its folder and below (or with --config %s); flowctl schema config prints its format"},
}

// schemaOf names the schema a kind's documents are checked against: the
// flow's block fields are checked by the flow's builder.
func schemaOf(kind string) string {
	if kind == KindFlow {
		return FlowShape
	}
	return kind
}

// topLevel returns a kind's top-level fields and required fields, as its
// schema declares them.
func topLevel(kind string) (props map[string]*schema, required []string) {
	s, err := compiled(schemaOf(kind))
	if err != nil {
		panic(err) // embedded: TestEverySchemaCompiles
	}
	return s.props, s.required
}

// OtherKind tells whether root, the top mapping of file read as a file of
// kind want, is rather another kind of flowctl file. It returns that kind
// and the top-level fields that tell (the most telling first), or "" and
// nil. A kind is told by two of its fields that want's file has not (one
// when file bears the kind's conventional name: flowctl.yaml,
// NAME.test.yaml, ...), more than the fields only want's file has: a
// flow file that misspells flows as flow stays a flow file.
func OtherKind(file string, root *yaml.Node, want string) (string, []string) {
	root = Deref(root)
	if root == nil || root.Kind != yaml.MappingNode {
		return "", nil
	}
	var keys []string
	Each(root, func(k, _ *yaml.Node) { keys = append(keys, k.Value) })
	wantProps, _ := topLevel(want)
	other := false // a key want's kind has not: another kind may have it
	for _, k := range keys {
		if _, ok := wantProps[k]; !ok {
			other = true
			break
		}
	}
	if !other {
		return "", nil
	}
	wantOnly := 0 // fields only want's kind has
	for _, k := range keys {
		if _, ok := wantProps[k]; ok && len(kindsWith(k)) == 1 {
			wantOnly++
		}
	}
	best, bestNamed, bestHas := "", false, []string(nil)
	for _, ki := range kindInfos {
		if ki.name == want {
			continue
		}
		props, _ := topLevel(ki.name)
		var has []string
		for _, k := range keys {
			_, theirs := props[k]
			if _, ours := wantProps[k]; theirs && !ours {
				has = append(has, k)
			}
		}
		named := ki.named(file)
		need := 2
		if named {
			need = 1
		}
		if len(has) < need || len(has) <= wantOnly {
			continue
		}
		if best == "" || len(has) > len(bestHas) || (len(has) == len(bestHas) && named && !bestNamed) {
			best, bestNamed, bestHas = ki.name, named, has
		}
	}
	if best == "" {
		return "", nil
	}
	return best, telling(best, bestHas)
}

// WrongKind is the message for a file of kind want that OtherKind finds
// to be another kind: "this is an org file (it has organization and
// divisions), not a flow file: check flows' queues against it with ...",
// or "".
func WrongKind(file string, root *yaml.Node, want string) string {
	kind, has := OtherKind(file, root, want)
	if kind == "" {
		return ""
	}
	k, w := info(kind), info(want)
	return fmt.Sprintf("this is %s (it has %s), not %s: "+k.instead, k.what, words.List(has[:min(2, len(has))], "and"), w.what, file)
}

func info(kind string) kindInfo {
	for _, k := range kindInfos {
		if k.name == kind {
			return k
		}
	}
	panic("schemas: unknown file kind " + kind)
}

// named reports whether file bears one of the kind's conventional names.
func (k kindInfo) named(file string) bool {
	base := filepath.Base(file)
	for _, n := range k.names {
		if base == n || (strings.HasPrefix(n, ".") && strings.HasSuffix(base, n)) {
			return true
		}
	}
	return false
}

// kindsWith lists the kinds that have top-level field key.
func kindsWith(key string) []string {
	var out []string
	for _, k := range kindInfos {
		if props, _ := topLevel(k.name); props[key] != nil {
			out = append(out, k.name)
		}
	}
	return out
}

// telling orders fields of kind most telling first: required and only the
// kind's, then required, then only the kind's, then the rest; file order
// within each.
func telling(kind string, has []string) []string {
	_, req := topLevel(kind)
	rank := func(k string) int {
		r := 3
		if slices.Contains(req, k) {
			r -= 2
		}
		if len(kindsWith(k)) == 1 {
			r--
		}
		return r
	}
	out := slices.Clone(has)
	slices.SortStableFunc(out, func(a, b string) int { return rank(a) - rank(b) })
	return out
}
