package schemas

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// parsedShape returns the deepest node yaml.v3 builds from src (the number
// of mappings and sequences around it, keys included, aliases not
// followed) and the number of its nodes (documents included), and false
// when yaml.v3 rejects src.
func parsedShape(src []byte) (deepest, nodes int, ok bool) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	deepest = -1
	// yaml.v3's decoder can return empty documents forever on some broken
	// streams: a stream has at most one document per byte.
	for range len(src) + 2 {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return deepest, nodes, true
		}
		if err != nil {
			return 0, 0, false
		}
		nodes++
		var walk func(n *yaml.Node, d int)
		walk = func(n *yaml.Node, d int) {
			nodes++
			deepest = max(deepest, d)
			if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
				d++
			}
			for _, c := range n.Content {
				walk(c, d)
			}
		}
		for _, c := range doc.Content {
			walk(c, 0)
		}
	}
	return 0, 0, false
}

// checkAgainstParser fails when the scan lets through a document yaml.v3
// parses deeper or larger than the limits (for every limit below its
// depth or count), or, when exact, refuses one at its depth and count.
func checkAgainstParser(t *testing.T, name string, src []byte, exact bool) {
	t.Helper()
	depth, nodes, ok := parsedShape(src)
	if !ok || depth < 0 {
		return
	}
	for limit := max(0, depth-3); limit < depth; limit++ {
		if checkNesting(src, limit, nodes) == nil {
			t.Errorf("%s: yaml.v3 nests %d deep, the scan lets it through at limit %d:\n%s", name, depth, limit, src)
			return
		}
	}
	if checkNesting(src, depth, nodes-1) == nil {
		t.Errorf("%s: yaml.v3 builds %d nodes, the scan lets it through at limit %d:\n%s", name, nodes, nodes-1, src)
	}
	if err := checkNesting(src, depth, nodes); exact && err != nil {
		t.Errorf("%s: yaml.v3 nests %d deep in %d nodes, the scan refuses it: %v\n%s", name, depth, nodes, err, src)
	}
}

// nestingCases are documents whose nesting the scan must count exactly.
var nestingCases = []string{
	"a: 1\n",
	"[1, [2, [3]]]\n",
	"{a: {b: {c: [d]}}}\n",
	"a:\n  b:\n    c: 1\n",
	"- - - x\n",
	"- a: 1\n  b:\n  - c\n  - d: [e]\n",
	"key:\n- a\n- b: 1\n  c:\n  - x\nnext: 1\n",                   // indentless sequences
	"[a: b, c: [d: e]]\n",                                         // single-pair mappings
	"[? a : b, ? [c] : d]\n",                                      // explicit keys in a sequence
	"? [a, [b]]\n: [c]\n",                                         // complex keys
	"[a, [b]]: c\n{x: y}: [z]\n",                                  // flow keys in a block mapping
	"[[a, [b]]: c]\n",                                             // flow key in a single-pair mapping
	"a: \"[[[[ \\\" ]]]] {{\"\nb: '[[ '' ]]'\n",                   // quotes hide brackets
	"a: |\n  - - - [[[\n  {{{\nb: >-\n   - x\n  \n   [y]\nc: 1\n", // block scalars hide structure
	"a: plain [text] with - dashes\n  - continued [line\nb: [1]\n",
	"a: &x [1, [2]]\nb: *x\nc: !!seq [3]\nd: !<tag:yaml.org,2002:seq> [4]\n",
	"# comment [[[\na: 1 # [[[\nb: [1, # ]]]\n  2]\n",
	"---\n- [1]\n---\na: {b: [c]}\n...\n",
	"%YAML 1.1\n---\n[[1]]\n",
	"a:\r\n  - [x]\r\n",
	"\ufeffa: [b]\n",
	"a: b\u2028c: [d]\n",
	"- |2\n   - x\n- [y]\n",
	"a:\n  - b\n  -\n    - c\n",
	"\"a\": [\"b\": c]\n",
	"a: [b,\n  [c,\n    d]]\n",
	"[a,\n ? b\n : [c]]\n",
	"- ? a\n  : - b\n",
	"{a, b: , ? c, ? : d}\n",       // empty values and keys in flow
	"[? a, b: ]\n",                 // and in single pairs
	"a:\nb: &x\nc: !!null\n- \n",   // empty values in block
	"- \n-\n- - \n  -\n",           // empty entries
	"? a\n? b\nc: d\n? e\n",        // '?' keys without values
	"? \n: b\n? \n",                // empty keys
	"---\n---\n--- a\n...\n---\n",  // empty documents
	"&a\n- x\n",                    // an anchored collection
	"k: &a\nj: !t\nl: *a\n",        // anchored empty values
	"a:\n- b:\n  - c\n  d:\n- e\n", // indentless, nested
}

func TestCheckNestingMatchesParser(t *testing.T) {
	for _, c := range nestingCases {
		if _, _, ok := parsedShape([]byte(c)); !ok {
			t.Errorf("yaml.v3 rejects the case %q", c)
			continue
		}
		checkAgainstParser(t, "case", []byte(c), true)
	}
	// Every YAML file of the project: real flows, tests and org files.
	var files []string
	filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			files = append(files, path)
		}
		return nil
	})
	if len(files) < 20 {
		t.Fatalf("found only %d YAML files", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkAgainstParser(t, f, src, true)
	}
}

// TestCheckNestingHostile: documents far deeper than any parser should see
// are refused at the first node past the limit, in one linear pass.
func TestCheckNestingHostile(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		line, col int
	}{
		{"flow sequences", "flows: " + strings.Repeat("[", 60_000) + strings.Repeat("]", 60_000), 1, 8 + MaxDepth},
		{"flow mappings", "a: " + strings.Repeat("{a: ", 50_000), 1, 1 + 4*MaxDepth},
		{"dashes", strings.Repeat("- ", 100_000) + "x\n", 1, 2*MaxDepth + 1},
		{"dashes on lines", deepDashes(5000), MaxDepth + 1, MaxDepth + 1},
		{"block mappings", deepKeys(5000), MaxDepth + 1, 1 + 2*MaxDepth},
		{"single pairs", strings.Repeat("[a: ", 50_000), 1, 4*(MaxDepth/2+1) - 2},
		{"flow keys", "? " + strings.Repeat("[", 50_000), 1, 3 + MaxDepth},
		{"a key made deep", strings.Repeat("[", MaxDepth) + "x" + strings.Repeat("]", MaxDepth) + ": v\n", 1, 1},
		{"indentless", deepIndentless(1000), MaxDepth + 1, MaxDepth + 1},
		{"after a quote", "a: \"]]]]\"\nb: " + strings.Repeat("[", 1000), 2, 4 + MaxDepth},
		{"after a block scalar", "a: |\n  ]]]]\nb: " + strings.Repeat("[", 1000), 3, 4 + MaxDepth},
		{"in a later document", "a: 1\n---\n" + strings.Repeat("[", 1000), 3, 2 + MaxDepth},
		{"UTF-16", "\xff\xfe" + utf16le(strings.Repeat("[", 1000)), 1, 2 + MaxDepth},
		{"verbatim tag", "!<]]]]> " + strings.Repeat("[", 1000), 1, 10 + MaxDepth},
		{"dense sequence", "[" + strings.Repeat("0,", 1_200_000), 1, 2 + 2*(MaxNodes-2)},
		{"dense mapping", strings.Repeat("k: v\n", 600_000), MaxNodes / 2, 1},
		{"empty entries", strings.Repeat("-\n", 1_200_000), MaxNodes, 1},
		{"empty flow values", "{" + strings.Repeat("a,", 600_000), 1, 2 + 2*((MaxNodes-2)/2)},
		{"CR line breaks", strings.ReplaceAll(deepDashes(1000), "\n", "\r"), MaxDepth + 1, MaxDepth + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckNesting([]byte(tt.src))
			var tc *TooComplexError
			if !errors.As(err, &tc) {
				t.Fatalf("want a TooComplexError, got %v", err)
			}
			reason := "nested deeper than 128 levels"
			if strings.HasPrefix(tt.name, "dense") || strings.HasPrefix(tt.name, "empty") {
				reason = "more than 500000 nodes"
			}
			if tc.Line != tt.line || tc.Col != tt.col || !strings.Contains(tc.Error(), reason) {
				t.Errorf("got %d:%d %q, want %d:%d", tc.Line, tc.Col, tc.Error(), tt.line, tt.col)
			}
		})
	}
}

// TestCheckNestingLimit: MaxDepth levels are fine, one more is refused, as
// in ToJSON.
func TestCheckNestingLimit(t *testing.T) {
	ok := "a: " + strings.Repeat("[", MaxDepth-1) + "x" + strings.Repeat("]", MaxDepth-1) + "\n"
	if err := CheckNesting([]byte(ok)); err != nil {
		t.Errorf("%d levels refused: %v", MaxDepth, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(ok), &doc); err != nil {
		t.Fatal(err)
	}
	if _, err := ToJSON(&doc); err != nil {
		t.Errorf("ToJSON refuses what the scan accepts: %v", err)
	}
	deep := "a: " + strings.Repeat("[", MaxDepth) + "x" + strings.Repeat("]", MaxDepth) + "\n"
	if err := CheckNesting([]byte(deep)); err == nil {
		t.Errorf("%d levels accepted", MaxDepth+1)
	}
}

func deepDashes(n int) string {
	var sb strings.Builder
	for i := range n {
		sb.WriteString(strings.Repeat(" ", i) + "-\n")
	}
	return sb.String()
}

func deepKeys(n int) string {
	var sb strings.Builder
	for i := range n {
		sb.WriteString(strings.Repeat(" ", 2*i) + "k:\n")
	}
	return sb.String()
}

// deepIndentless nests a mapping in an indentless sequence in a mapping...
func deepIndentless(n int) string {
	var sb strings.Builder
	for i := range n {
		pad := strings.Repeat(" ", 2*i)
		sb.WriteString(pad + "k:\n" + pad + "-\n")
	}
	return sb.String()
}

func utf16le(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

// FuzzCheckNesting: the scan never lets through a document yaml.v3 parses
// deeper than the limit.
func FuzzCheckNesting(f *testing.F) {
	for _, c := range nestingCases {
		f.Add([]byte(c))
	}
	f.Add([]byte("flows: " + strings.Repeat("[", 300) + strings.Repeat("]", 300)))
	f.Add([]byte(strings.Repeat("- ", 300) + "x\n"))
	f.Add([]byte(deepIndentless(10)))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 4096 {
			return
		}
		checkAgainstParser(t, "fuzz", src, false)
	})
}
