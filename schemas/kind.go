package schemas

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

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

// topLevel is each kind's top-level fields and required fields, read from
// its schema.
var topLevel = sync.OnceValue(func() map[string]struct{ props, required []string } {
	out := map[string]struct{ props, required []string }{}
	for _, k := range kindInfos {
		src, err := Source(k.name)
		if err != nil {
			panic(err) // embedded: cannot happen
		}
		var s struct {
			Properties map[string]json.RawMessage `json:"properties"`
			Required   []string                   `json:"required"`
		}
		if err := json.Unmarshal(src, &s); err != nil {
			panic(fmt.Sprintf("schema %s: %v", k.name, err))
		}
		e := out[k.name]
		for p := range s.Properties {
			e.props = append(e.props, p)
		}
		e.required = s.Required
		out[k.name] = e
	}
	return out
})

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
	tl := topLevel()
	wantOnly := 0 // fields only want's kind has
	for _, k := range keys {
		if slices.Contains(tl[want].props, k) && len(kindsWith(k)) == 1 {
			wantOnly++
		}
	}
	best, bestNamed, bestHas := "", false, []string(nil)
	for _, ki := range kindInfos {
		if ki.name == want {
			continue
		}
		var has []string
		for _, k := range keys {
			if slices.Contains(tl[ki.name].props, k) && !slices.Contains(tl[want].props, k) {
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
	for name, t := range topLevel() {
		if slices.Contains(t.props, key) {
			out = append(out, name)
		}
	}
	return out
}

// telling orders fields of kind most telling first: required and only the
// kind's, then required, then only the kind's, then the rest; file order
// within each.
func telling(kind string, has []string) []string {
	req := topLevel()[kind].required
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
