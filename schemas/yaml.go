package schemas

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/flowctl/flowctl/internal/lazyre"
	goccy "github.com/goccy/go-yaml"
	goccyparser "github.com/goccy/go-yaml/parser"
	"gopkg.in/yaml.v3"
)

// The YAML helpers below are shared by every flowctl file format (flow,
// test and org files), so that all of them read YAML the same way the
// schema check does.

// MaxFileSize is the largest flow, test or org file flowctl reads (8 MiB).
const MaxFileSize = 8 << 20

// FileSizeError is a file larger than MaxFileSize.
type FileSizeError struct {
	Size int64
}

func (e *FileSizeError) Error() string {
	return fmt.Sprintf("file is %.1f MiB; flowctl reads files up to %d MiB", float64(e.Size)/(1<<20), MaxFileSize>>20)
}

// ErrNotRegular is the cause of a read refused because the path names a
// device, FIFO or socket: reading one could block or never end.
var ErrNotRegular = errors.New("not a regular file (a device, FIFO or socket)")

var errIsDir = errors.New("is a directory")

// ReadFile reads a flow, test or org file: a regular file (symbolic links
// followed) of at most MaxFileSize bytes. Anything else is refused before a
// byte is read, as an *fs.PathError with ErrNotRegular, or a
// *FileSizeError; other errors are those of os.Open and reading.
func ReadFile(path string) ([]byte, error) {
	// Stat before opening: opening a FIFO blocks until a writer comes.
	if st, err := os.Stat(path); err == nil {
		if err := checkRegular(path, st); err != nil {
			return nil, err
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, BrokenLink(path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkRegular(path, st); err != nil {
		return nil, err
	}
	if st.Size() > MaxFileSize {
		return nil, &FileSizeError{Size: st.Size()}
	}
	// One byte past the limit tells a file that grew since Stat.
	buf := bytes.NewBuffer(make([]byte, 0, st.Size()+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		return nil, err
	}
	if buf.Len() > MaxFileSize {
		return nil, &FileSizeError{Size: max(st.Size(), int64(buf.Len()))}
	}
	return buf.Bytes(), nil
}

func checkRegular(path string, st fs.FileInfo) error {
	switch {
	case st.IsDir():
		return &fs.PathError{Op: "read", Path: path, Err: errIsDir}
	case !st.Mode().IsRegular():
		return &fs.PathError{Op: "read", Path: path, Err: ErrNotRegular}
	}
	return nil
}

// Deref follows aliases to the node they name (at most MaxDepth hops).
func Deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < MaxDepth; i++ {
		n = n.Alias
	}
	return n
}

// Each calls fn for each key/value of a mapping, in order, with aliases
// followed and merge keys (<<) applied as ToJSON applies them: the first
// value of a key wins, and merged mappings add the keys the mapping lacks.
// Keys that are not scalars are skipped.
func Each(n *yaml.Node, fn func(k, v *yaml.Node)) {
	eachMerged(n, fn, nil, 0)
}

func eachMerged(n *yaml.Node, fn func(k, v *yaml.Node), seen map[string]bool, depth int) {
	n = Deref(n)
	if n == nil || n.Kind != yaml.MappingNode || depth > MaxDepth {
		return
	}
	// Most mappings are small and have no merge keys: a scan for repeated
	// keys beats allocating a set.
	if seen == nil && len(n.Content) > 32 {
		seen = make(map[string]bool, len(n.Content)/2)
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if k.Tag == "!!merge" {
			merges = append(merges, n.Content[i+1])
			continue
		}
		if seen != nil {
			if seen[k.Value] {
				continue
			}
			seen[k.Value] = true
		} else if repeated(n.Content, i) {
			continue
		}
		fn(k, Deref(n.Content[i+1]))
	}
	if len(merges) == 0 {
		return
	}
	if seen == nil {
		seen = map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Tag != "!!merge" {
				seen[k.Value] = true
			}
		}
	}
	for _, m := range merges {
		m = Deref(m)
		sources := []*yaml.Node{m}
		if m != nil && m.Kind == yaml.SequenceNode {
			sources = m.Content
		}
		for _, src := range sources {
			eachMerged(src, fn, seen, depth+1)
		}
	}
}

// repeated reports whether the key at content[i] repeats an earlier key.
func repeated(content []*yaml.Node, i int) bool {
	for j := 0; j < i; j += 2 {
		if k := content[j]; k.Kind == yaml.ScalarNode && k.Tag != "!!merge" && k.Value == content[i].Value {
			return true
		}
	}
	return false
}

// HasAlias reports whether the tree under n holds an alias (merge keys
// are aliases too), down to MaxDepth levels.
func HasAlias(n *yaml.Node) bool {
	_, aliases := ScanKeys(n)
	return aliases
}

// Duplicate is a mapping key that repeats an earlier one.
type Duplicate struct {
	Key, First *yaml.Node
}

// DuplicateKeys returns every repeated key of every mapping in the
// document, in document order (merge keys aside).
func DuplicateKeys(doc *yaml.Node) []Duplicate {
	dups, _ := ScanKeys(doc)
	return dups
}

// ScanKeys returns, in one walk of the document (down to MaxDepth levels),
// what DuplicateKeys and HasAlias return.
func ScanKeys(doc *yaml.Node) (dups []Duplicate, aliases bool) {
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > MaxDepth {
			return
		}
		if n.Kind == yaml.AliasNode {
			aliases = true
			return
		}
		if n.Kind == yaml.MappingNode && len(n.Content) > 2 {
			dups = appendDuplicates(dups, n.Content)
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	return dups, aliases
}

// appendDuplicates appends the repeated keys of a mapping's content: a
// scan of the keys before each one for the small mappings most are, a set
// for large ones.
func appendDuplicates(out []Duplicate, content []*yaml.Node) []Duplicate {
	if len(content) <= 32 {
		for i := 0; i+1 < len(content); i += 2 {
			k := content[i]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
				continue
			}
			for j := 0; j < i; j += 2 {
				if f := content[j]; f.Kind == yaml.ScalarNode && f.Tag != "!!merge" && f.Value == k.Value {
					out = append(out, Duplicate{Key: k, First: f})
					break
				}
			}
		}
		return out
	}
	first := make(map[string]*yaml.Node, len(content)/2)
	for i := 0; i+1 < len(content); i += 2 {
		k := content[i]
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			continue
		}
		if f, ok := first[k.Value]; ok {
			out = append(out, Duplicate{Key: k, First: f})
		} else {
			first[k.Value] = k
		}
	}
	return out
}

var yamlLineRe = lazyre.New(`^yaml: line (\d+): (.*)$`)

// maxReparse bounds the documents SyntaxProblem parses again with
// goccy/go-yaml, in nodes plus a 1024th of the entry work of its mappings
// (nestScan.entryWork): goccy's parser takes microseconds and hundreds of
// bytes per node, and is quadratic in the size of a mapping, recursing once
// per entry (a mapping of 200,000 keys overflows its stack). A 10,000-block
// flow costs about 150,000. A larger document's syntax error keeps yaml.v3's
// line.
const maxReparse = 400_000

// reparseBounded reports whether goccy/go-yaml may parse src again.
func reparseBounded(src []byte) bool {
	s := nestScan{limit: MaxDepth, maxNodes: MaxNodes}
	s.run(utf8Source(src))
	return !s.failed && s.nodes+s.entryWork>>10 <= maxReparse
}

// SyntaxProblem turns a yaml.v3 parse error of src into a positioned
// problem with a hint where one helps. yaml.v3 reports only the line of the
// enclosing structure, so src is parsed again with goccy/go-yaml, whose
// errors carry the exact line and column; its position and message are used
// when it agrees that src is invalid, and src is small enough for it
// (maxReparse).
func SyntaxProblem(src []byte, err error) Problem {
	p := Problem{Line: 1, Col: 1, Message: strings.TrimPrefix(err.Error(), "yaml: ")}
	if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Message = m[2]
	}
	var se *goccy.SyntaxError
	if reparseBounded(src) {
		if _, gerr := goccyparser.ParseBytes(src, 0); errors.As(gerr, &se) && se.Token != nil && se.Token.Position != nil {
			p.Line, p.Col, p.Message = se.Token.Position.Line, se.Token.Position.Column, se.Message
		}
	}
	text := lineOf(src, p.Line)
	if i := strings.IndexByte(text, '\t'); i >= 0 && strings.TrimLeft(text[:i], " ") == "" {
		p.Col = utf8.RuneCountInString(text[:i]) + 1
		p.Message = "a tab indents this line: YAML indentation must use spaces"
	}
	if strings.Contains(p.Message, "not allowed in this context") || strings.Contains(p.Message, "did not find expected") {
		p.Message += " (check the indentation of this line)"
	}
	if strings.Contains(p.Message, "could not find end character") || strings.Contains(p.Message, "found unexpected end of stream") {
		p.Message += " (is a quote left open?)"
	}
	return p
}

// lineOf returns 1-based line n of src without its line break.
func lineOf(src []byte, n int) string {
	s := string(src)
	for ; n > 1; n-- {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return ""
		}
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(s, "\r")
}
