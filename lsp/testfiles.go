package lsp

import (
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/flowctl/flowctl/schemas"
	"github.com/flowctl/flowctl/simulate"
	"gopkg.in/yaml.v3"
)

// maxTestFiles bounds how many test files a rename or a reference search
// reads.
const maxTestFiles = 2000

// testFile is a test file of a flow, with the queue names its steps write.
type testFile struct {
	path   string
	text   *text
	queues map[string][]token // handover and agent transfer queues, by name
}

// testsOf returns the project's test files whose flow is the flow file at
// path: those in the config's test folders (or the config's folder, or
// the workspace), open documents' text first.
func (s *Server) testsOf(flowPath string) []*testFile {
	target := absPath(flowPath)
	var out []*testFile
	seen := map[string]bool{}
	n := 0
	for _, dir := range s.ws.testDirs(flowPath) {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if p != dir && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if kindOf(p) != kindTest || seen[absPath(p)] {
				return nil
			}
			seen[absPath(p)] = true
			if n++; n > maxTestFiles {
				return filepath.SkipAll
			}
			if tf := s.readTest(p, target); tf != nil {
				out = append(out, tf)
			}
			return nil
		})
	}
	return out
}

// readTest reads a test file that names target as its flow, with the
// reader of every flowctl file (a document too deep or too large for it,
// or not YAML, is skipped). Its schema is not checked: a queue in a test
// that has other mistakes is renamed too.
func (s *Server) readTest(path, target string) *testFile {
	src, err := s.readFile(path)
	if err != nil {
		return nil
	}
	d := schemas.ReadTree(path, []byte(src), schemas.KindTest)
	if d.Root == nil {
		return nil
	}
	tf := &testFile{path: path, text: newText(src), queues: map[string][]token{}}
	named := false
	schemas.Each(d.Root, func(k, v *yaml.Node) {
		switch k.Value {
		case "flow":
			named = v.Kind == yaml.ScalarNode && absPath(simulate.FlowPath(path, v.Value)) == target
		case "steps":
			for _, st := range v.Content {
				schemas.Each(st, func(k, v *yaml.Node) {
					switch k.Value {
					case "handover":
						if v.Kind == yaml.ScalarNode {
							tf.add(v)
						}
						schemas.Each(v, func(k, v *yaml.Node) {
							if k.Value == "queue" {
								tf.add(v)
							}
						})
					case "agent":
						schemas.Each(v, func(k, v *yaml.Node) {
							if k.Value == "transfer" {
								tf.add(v)
							}
						})
					}
				})
			}
		}
	})
	if !named {
		return nil
	}
	return tf
}

// add records a queue name written at a scalar node.
func (tf *testFile) add(n *yaml.Node) {
	if n.Kind != yaml.ScalarNode || n.Line == 0 {
		return
	}
	t := tf.text
	tk := tokenAt(t, t.offsetOf(posOfNode(n)))
	if tk.value(t) == n.Value {
		tf.queues[n.Value] = append(tf.queues[n.Value], tk)
	}
}

// absPath is path made absolute and clean (as it is when that fails).
func absPath(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return filepath.Clean(path)
}

// flowPathOf is the flow file a test analysis names.
func flowPathOf(an *analysis) string { return simulate.FlowPath(an.path, an.test.Flow) }
