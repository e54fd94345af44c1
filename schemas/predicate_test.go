package schemas

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"gopkg.in/yaml.v3"
)

// schemaNames are the schemas Validate checks against.
var schemaNames = []string{"flow", FlowShape, "test", "org", "config"}

// corpus returns every YAML file of the project (testdata, examples,
// testscript archives), by name.
func corpus(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != ".." {
			return filepath.SkipDir
		}
		switch ext := filepath.Ext(p); {
		case ext == ".yaml" || ext == ".yml":
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[p] = b
		case ext == ".txtar":
			a, err := txtar.ParseFile(p)
			if err != nil {
				return err
			}
			for _, f := range a.Files {
				if strings.HasSuffix(f.Name, ".yaml") || strings.HasSuffix(f.Name, ".yml") {
					out[p+":"+f.Name] = f.Data
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 100 {
		t.Fatalf("only %d YAML files found", len(out))
	}
	return out
}

// decodeAll returns the documents of src that yaml.v3 reads.
func decodeAll(src []byte) []*yaml.Node {
	if CheckNesting(src) != nil {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var docs []*yaml.Node
	for len(docs) < 10 {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if !errors.Is(err, io.EOF) {
				return docs
			}
			break
		}
		docs = append(docs, &doc)
	}
	return docs
}

// agree fails when the checker and the jsonschema library disagree on
// whether doc is valid against any schema, or on its problems (but where
// the library's locations cannot tell: see indirect), or when a value
// gets problems that contradict each other.
func agree(t *testing.T, name string, doc *yaml.Node) {
	t.Helper()
	if _, err := ToJSON(doc); err != nil {
		return // too complex: Validate refuses it before either check
	}
	var value *yaml.Node
	if doc.Kind != yaml.DocumentNode {
		value = doc
	} else if len(doc.Content) > 0 {
		value = doc.Content[0]
	}
	for _, schema := range schemaNames {
		sch, err := compiled(schema)
		if err != nil {
			t.Fatal(err)
		}
		var c checker
		valid := c.check(sch, value) == nil
		oracleValid, want := oracleProblems(t, schema, doc)
		if valid != oracleValid {
			t.Errorf("%s against %s: checker says valid=%v, jsonschema %v: %+v", name, schema, valid, oracleValid, want)
			continue
		}
		problems, err := Validate(schema, doc)
		switch {
		case err != nil:
			t.Errorf("%s against %s: %v", name, schema, err)
		case valid != (len(problems) == 0):
			t.Errorf("%s against %s: valid=%v, problems %+v", name, schema, valid, problems)
		case !valid && !indirect(doc, 0) && !slices.Equal(problems, want):
			t.Errorf("%s against %s: problems differ from jsonschema's\n got: %+v\nwant: %+v", name, schema, problems, want)
		default:
			if msg := contradiction(problems); msg != "" {
				t.Errorf("%s against %s: %s", name, schema, msg)
			}
		}
	}
}

// contradiction returns what is wrong when a value that has the wrong type
// or value ("got ..., want ...") gets another problem too: each holds for
// another form of the value, so one of them is beside the point.
func contradiction(problems []Problem) string {
	byPath := map[string][]string{}
	for _, p := range problems {
		if p.Key == "" && p.Kind != "required" && p.Kind != "more" {
			byPath[p.Path] = append(byPath[p.Path], p.Message)
		}
	}
	for path, msgs := range byPath {
		if len(msgs) < 2 {
			continue
		}
		for _, m := range msgs {
			if strings.HasPrefix(m, "got ") {
				return fmt.Sprintf("%s: %q", path, msgs)
			}
		}
	}
	return ""
}

// TestPredicateAgreesWithJSONSchema: every YAML document of the project,
// checked against every schema (mostly the wrong one, so that errors of
// every kind come up), is valid for the checker exactly when it is for
// jsonschema, with the same problems.
func TestPredicateAgreesWithJSONSchema(t *testing.T) {
	files := corpus(t)
	checked, invalid := 0, 0
	for name, src := range files {
		for i, doc := range decodeAll(src) {
			agree(t, fmt.Sprintf("%s#%d", name, i), doc)
			checked++
			if ps, _ := Validate("flow", doc); len(ps) > 0 {
				invalid++
			}
		}
	}
	if invalid == 0 || invalid == checked {
		t.Errorf("%d of %d documents invalid as flows: the corpus does not exercise both verdicts", invalid, checked)
	}
	t.Logf("%d documents", checked)
}

// TestPredicateAgreesMutated: the corpus again, each document mutated at
// every node in turn (a scalar becomes a list, a mapping, a number, null;
// a key is misspelt or repeated; an entry goes).
func TestPredicateAgreesMutated(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for name, src := range corpus(t) {
		for i, doc := range decodeAll(src) {
			var nodes []*yaml.Node
			var walk func(n *yaml.Node, depth int)
			walk = func(n *yaml.Node, depth int) {
				if n == nil || depth > 40 || n.Kind == yaml.AliasNode {
					return
				}
				nodes = append(nodes, n)
				for _, c := range n.Content {
					walk(c, depth+1)
				}
			}
			walk(doc, 0)
			// At most 16 nodes per document, spread over it (the fuzz
			// test goes further).
			step := max(1, len(nodes)/16)
			for j := 0; j < len(nodes); j += step {
				n := nodes[j]
				for m, mutate := range mutations {
					saved := *n
					savedContent := append([]*yaml.Node(nil), n.Content...)
					if !mutate(n) {
						continue
					}
					agree(t, fmt.Sprintf("%s#%d node %d mutation %d", name, i, j, m), doc)
					*n = saved
					n.Content = savedContent
				}
			}
		}
	}
}

var mutations = []func(n *yaml.Node) bool{
	func(n *yaml.Node) bool { // a scalar becomes a list of itself
		if n.Kind != yaml.ScalarNode {
			return false
		}
		c := *n
		*n = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: n.Line, Column: n.Column, Content: []*yaml.Node{&c}}
		return true
	},
	func(n *yaml.Node) bool { // a scalar becomes a mapping
		if n.Kind != yaml.ScalarNode {
			return false
		}
		k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: n.Value, Line: n.Line, Column: n.Column}
		*n = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column, Content: []*yaml.Node{k, {Kind: yaml.ScalarNode, Tag: "!!int", Value: "7"}}}
		return true
	},
	func(n *yaml.Node) bool { // anything becomes a number
		*n = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "12", Line: n.Line, Column: n.Column}
		return true
	},
	func(n *yaml.Node) bool { // anything becomes null
		*n = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "", Line: n.Line, Column: n.Column}
		return true
	},
	func(n *yaml.Node) bool { // anything becomes an empty string
		*n = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "", Line: n.Line, Column: n.Column}
		return true
	},
	func(n *yaml.Node) bool { // a mapping's first key is misspelt
		if n.Kind != yaml.MappingNode || len(n.Content) < 2 {
			return false
		}
		k := *n.Content[0]
		k.Value = strings.ToUpper(k.Value[:min(1, len(k.Value))]) + k.Value[min(1, len(k.Value)):] + "x"
		n.Content = append([]*yaml.Node{&k}, n.Content[1:]...)
		return true
	},
	func(n *yaml.Node) bool { // a mapping's first entry goes
		if n.Kind != yaml.MappingNode || len(n.Content) < 2 {
			return false
		}
		n.Content = n.Content[2:]
		return true
	},
	func(n *yaml.Node) bool { // a mapping's last entry repeats, another value
		if n.Kind != yaml.MappingNode || len(n.Content) < 2 {
			return false
		}
		l := len(n.Content)
		n.Content = append(n.Content, n.Content[l-2], &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"})
		return true
	},
	func(n *yaml.Node) bool { // a list's items repeat
		if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
			return false
		}
		n.Content = append(n.Content, n.Content...)
		return true
	},
	func(n *yaml.Node) bool { // a list becomes empty
		if n.Kind != yaml.SequenceNode {
			return false
		}
		n.Content = nil
		return true
	},
	func(n *yaml.Node) bool { // a mapping becomes empty
		if n.Kind != yaml.MappingNode {
			return false
		}
		n.Content = nil
		return true
	},
}

// FuzzValidate: whatever the document, the checker and jsonschema agree
// on its validity and its problems.
func FuzzValidate(f *testing.F) {
	for name, src := range corpus(f) {
		if strings.Contains(name, "flow") || strings.Contains(name, "org") || strings.Contains(name, "test") {
			if len(src) < 2048 {
				f.Add(src)
			}
		}
	}
	f.Add([]byte("a: &a {x: 1}\nb: {<<: *a, y: [1, 1]}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 4096 {
			return
		}
		for i, doc := range decodeAll(src) {
			agree(t, fmt.Sprintf("doc %d", i), doc)
		}
	})
}
