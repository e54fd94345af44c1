package cmd

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/google/go-cmp/cmp"
)

// The -update flag may be declared by another test file of this package;
// package variables are initialised before init runs, so this sees it.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata")
	}
}

// updating reports whether go test was run with -update.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// acmeCovered is the coverage of one conversation through the example:
// greet, ask for the name, hand over, the agent closes, resume, goodbye.
var acmeCovered = map[string]bool{
	"main/greet":                              true,
	"main/greet -output[1]-> main/ask_name":   true,
	"main/ask_name":                           true,
	"main/ask_name -next-> main/handover":     true,
	"main/handover":                           true,
	"main/handover -resume-> main/survey":     true,
	"main/survey":                             true,
	"main/survey -output[1]-> main/bye":       true,
	"main/bye":                                true,
	"main/bye !end-of-flow":                   true,
	"main/greet -output[0]-> main/billing":    false,
	"main/support_handover !genesys-timeout":  false,
	"main/billing -transfer-> billing/b1":     false,
	"main/survey !inactivity":                 false,
	"no/such -next-> key is simply not drawn": true,
}

type graphCase struct {
	name string // golden file name without extension
	file string // flow file, relative to cmd/
	opts graphOptions
}

// graphGoldenCases are the golden files in testdata/graph; the browser and
// Graphviz checks render the same cases.
func graphGoldenCases() []graphCase {
	const acme = "../testdata/examples/acme.flow.yaml"
	const corpus = "testdata/graph/corpus.flow.yaml"
	const broken = "testdata/graph/broken.flow.yaml"
	var cases []graphCase
	for _, format := range graphFormats {
		cases = append(cases,
			graphCase{"acme", acme, graphOptions{Format: format}},
			graphCase{"acme-main", acme, graphOptions{Format: format, Flow: "main"}},
			graphCase{"acme-coverage", acme, graphOptions{Format: format, Covered: acmeCovered}},
			graphCase{"corpus", corpus, graphOptions{Format: format}},
			graphCase{"corpus-after-sales", corpus, graphOptions{Format: format, Flow: "after-sales"}},
			graphCase{"corpus-coverage", corpus, graphOptions{Format: format, Covered: alternateCoverage(loadGraphProject(nil, corpus))}},
			graphCase{"corpus-coverage-none", corpus, graphOptions{Format: format, Covered: map[string]bool{}}},
			graphCase{"broken", broken, graphOptions{Format: format}},
		)
	}
	return cases
}

// alternateCoverage covers every other block, edge and exit of p, in the
// order writeGraph draws them, so that both colours appear everywhere.
func alternateCoverage(p *flow.Project) map[string]bool {
	covered := map[string]bool{}
	i := 0
	mark := func(key string) {
		covered[key] = i%2 == 0
		i++
	}
	for _, f := range p.Flows {
		for _, b := range f.Blocks {
			mark(b.Key())
			for _, e := range b.Edges() {
				mark(e.Key())
			}
			for _, x := range b.Exits() {
				mark(x.Key())
			}
		}
	}
	return covered
}

// loadGraphProject loads a flow file of the test data; t may be nil while
// the cases are built.
func loadGraphProject(t *testing.T, path string) *flow.Project {
	p, err := flow.Load(path)
	if err != nil {
		if t == nil {
			panic(err)
		}
		t.Fatal(err)
	}
	return p
}

func graphExt(format string) string {
	if format == "dot" {
		return ".dot"
	}
	return ".mmd"
}

// TestGraphGolden compares writeGraph's output with testdata/graph/*.mmd and
// *.dot; go test ./cmd -run TestGraphGolden -update rewrites them.
func TestGraphGolden(t *testing.T) {
	for _, tc := range graphGoldenCases() {
		golden := filepath.Join("testdata", "graph", tc.name+graphExt(tc.opts.Format))
		t.Run(filepath.Base(golden), func(t *testing.T) {
			p := loadGraphProject(t, tc.file)
			var buf bytes.Buffer
			if err := writeGraph(&buf, p, tc.opts); err != nil {
				t.Fatal(err)
			}
			// Drawing twice gives the same bytes.
			var again bytes.Buffer
			if err := writeGraph(&again, p, tc.opts); err != nil {
				t.Fatal(err)
			}
			if buf.String() != again.String() {
				t.Fatal("two drawings of the same file differ")
			}
			if updating() {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd -run TestGraphGolden -update)", err)
			}
			if d := cmp.Diff(string(want), buf.String()); d != "" {
				t.Errorf("%s differs (-want +got; -update rewrites):\n%s", golden, d)
			}
		})
	}
}

func TestWriteGraphErrors(t *testing.T) {
	p := loadGraphProject(t, "../testdata/examples/acme.flow.yaml")
	err := writeGraph(&bytes.Buffer{}, p, graphOptions{Format: "svg"})
	if !errors.Is(err, errUnknownGraphFormat) || err.Error() != `unknown graph format "svg": want mermaid or dot` {
		t.Errorf("format svg: got %v", err)
	}
	err = writeGraph(&bytes.Buffer{}, p, graphOptions{Flow: "nope"})
	if err == nil || err.Error() != `unknown flow "nope": the file has "main", "billing"` {
		t.Errorf("flow nope: got %v", err)
	}
	empty := flow.Parse("empty.flow.yaml", []byte("version: 1\nname: x\n"))
	err = writeGraph(&bytes.Buffer{}, empty, graphOptions{Flow: "main"})
	if err == nil || err.Error() != `unknown flow "main": the file has no flows` {
		t.Errorf("no flows: got %v", err)
	}
}

func TestWriteGraphFileFences(t *testing.T) {
	p := loadGraphProject(t, "../testdata/examples/acme.flow.yaml")
	var bare bytes.Buffer
	if err := writeGraph(&bare, p, graphOptions{}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tests := []struct {
		name, file, format, want string
	}{
		{name: "markdown", file: "g.md", want: "```mermaid\n" + bare.String() + "```\n"},
		{name: "markdown upper case", file: "G.MARKDOWN", want: "```mermaid\n" + bare.String() + "```\n"},
		{name: "mermaid file", file: "g.mmd", want: bare.String()},
		{name: "dot in markdown", file: "d.md", format: "dot", want: "```dot\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			if err := writeGraphFile(path, p, graphOptions{Format: tt.format}); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if tt.format == "dot" {
				if !strings.HasPrefix(string(got), tt.want) || !strings.Contains(string(got), "digraph") || !strings.HasSuffix(string(got), "}\n```\n") {
					t.Errorf("got %q", got)
				}
				return
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// A failed drawing writes nothing.
	path := filepath.Join(dir, "none.md")
	if err := writeGraphFile(path, p, graphOptions{Flow: "nope"}); err == nil {
		t.Fatal("unknown flow: no error")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file written after a failed drawing: %v", err)
	}
}

func TestMermaidText(t *testing.T) {
	tests := []struct{ in, want string }{
		{in: `say "hi"`, want: `say #quot;hi#quot;`},
		{in: "#1 & <b>x</b>", want: "#35;1 #amp; #lt;b#gt;x#lt;/b#gt;"},
		{in: "a|b `c`", want: "a#124;b #96;c#96;"},
		{in: "[x] (y) {z}", want: "[x] (y) {z}"},
		{in: "two\nlines\r\x00", want: "two<br>lines"},
		{in: "日本語 👋 é", want: "日本語 👋 é"},
	}
	for _, tt := range tests {
		if got := mermaidText(tt.in); got != tt.want {
			t.Errorf("mermaidText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDOTQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{in: `say "hi"`, want: `"say \"hi\""`},
		{in: `a\nb\`, want: `"a\\nb\\"`},
		{in: "two\nlines\t\x00", want: `"two\nlines"`},
		{in: "<b>#x</b> & &#35; {y} [z] |", want: `"<b>#x</b> &amp; &amp;#35; {y} [z] |"`},
		{in: "日本語 👋", want: `"日本語 👋"`},
	}
	for _, tt := range tests {
		if got := dotQuote(tt.in); got != tt.want {
			t.Errorf("dotQuote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestShortText(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{in: "  a \n\t b  ", max: 10, want: "a b"},
		{in: "abcdef", max: 6, want: "abcdef"},
		{in: "abcdefg", max: 6, want: "abcde…"},
		{in: "abcd fgh", max: 6, want: "abcd…"},
		{in: "日本語のテキスト", max: 4, want: "日本語…"},
		{in: "bad \xff\x01byte", max: 20, want: "bad byte"},
	}
	for _, tt := range tests {
		if got := shortText(tt.in, tt.max); got != tt.want {
			t.Errorf("shortText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestGraphNodeIDs(t *testing.T) {
	a := newIDAllocator()
	got := []string{
		a.id("main", "", "ask-name"),
		a.id("main", "", "ask_name"),  // same sanitised id: numbered
		a.id("main", "", "ask-name"),  // asked again: the same id
		a.id("main-x", "", "y"),       // main_x_y
		a.id("main", "", "x-y"),       // main_x_y taken: numbered
		a.id("", "", ""),              // empty names
		a.id("main", "exit", "agent"), // roles are set apart by __
		a.id("é", "", "ü"),
		a.id("end", "", ""),
	}
	want := []string{"main_ask_name", "main_ask_name_2", "main_ask_name", "main_x_y", "main_x_y_2", "x_x", "main__exit_agent", "ue9_ufc", "end_x"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ids (-want +got):\n%s", d)
	}
	for _, id := range got {
		if !strings.Contains(id, "_") {
			t.Errorf("id %q has no _: it could be a Mermaid keyword", id)
		}
	}
}

func TestGraphModelMarks(t *testing.T) {
	p := loadGraphProject(t, "testdata/graph/corpus.flow.yaml")
	g, err := buildGraph(p, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	nodes := map[string]*graphNode{}
	for _, c := range g.Clusters {
		for _, n := range c.Nodes {
			nodes[n.ID] = n
		}
	}
	if n := nodes["main_orphan"]; n == nil || !n.Unreachable {
		t.Errorf("orphan not marked unreachable: %+v", n)
	}
	if n := nodes["main_hello"]; n == nil || n.Unreachable {
		t.Errorf("hello marked unreachable: %+v", n)
	}
	if g.Clusters[2].Label != "flow end (unreachable)" {
		t.Errorf("unreachable flow label %q", g.Clusters[2].Label)
	}
	styles := map[string]edgeStyle{}
	for _, e := range g.Edges {
		styles[e.From+">"+e.To+":"+e.Label] = e.Style
	}
	for key, want := range map[string]edgeStyle{
		"main_to_agent>main_fallback:handover failed":              edgeDotted,
		"main_to_agent>main_after:agent closed: resume":            edgeThick,
		"after_sales_s1>after_sales_s2:never taken: resume is off": edgeDotted,
		"main_go_sales>after_sales_s1:transfer":                    edgeThick,
		"main_hello>main_no_input_end:otherwise":                   edgeSolid,
	} {
		if got, ok := styles[key]; !ok || got != want {
			t.Errorf("edge %s: style %q (present %v), want %q", key, got, ok, want)
		}
	}
}

// runGraphCmd runs flowctl in-process and returns stdout, stderr and the
// exit code.
func runGraphCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(string) string { return "" }
	f := &Factory{Getenv: getenv, Now: time.Now, Context: context.Background()}
	f.IO = newIOStreams(strings.NewReader(""), &out, &errOut, getenv)
	code := run(f, args)
	return out.String(), errOut.String(), code
}

// TestGraphWarnsBeyondMermaidLimits: a diagram Mermaid will not render is
// still written, with a warning saying why and what to do.
func TestGraphWarnsBeyondMermaidLimits(t *testing.T) {
	var src strings.Builder
	src.WriteString("version: 1\nname: Big\nflows:\n  main:\n    start: b0\n    blocks:\n")
	const n = 260 // 520 outputs, 260 inactivity exits and the start edge
	for i := range n {
		fmt.Fprintf(&src, "      - { id: b%d, type: say, text: hi, input: true, outputs: [{ when: 'input == \"x\"', next: b%d }, { next: b%d }] }\n", i, (i+1)%n, (i+2)%n)
	}
	path := filepath.Join(t.TempDir(), "big.flow.yaml")
	if err := os.WriteFile(path, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runGraphCmd(t, "graph", path)
	if code != ExitOK || !strings.HasPrefix(out, "flowchart TD\n") {
		t.Fatalf("exit %d, stdout %.40q, stderr %s", code, out, errOut)
	}
	want := "flowctl: warning: the diagram has 781 edges (Mermaid draws at most 500) and will not render on GitHub; draw one flow with --flow NAME or use --format dot\n"
	if errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	// DOT has no such limit.
	_, errOut, code = runGraphCmd(t, "graph", "--format", "dot", path)
	if code != ExitOK || errOut != "" {
		t.Errorf("dot: exit %d, stderr %q", code, errOut)
	}

	g := &graphModel{}
	if why := mermaidTooLarge(g, mermaidMaxTextSize+1); why != "50001 characters (Mermaid reads at most 50000)" {
		t.Errorf("text size: %q", why)
	}
	if why := mermaidTooLarge(g, mermaidMaxTextSize); why != "" {
		t.Errorf("at the limit: %q", why)
	}
}

// TestWriteFileAtomic: graph -o, test --graph and org export write through
// a temporary file: the content lands whole, no temporary file is left,
// and a failed write leaves the old file as it was.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "g.md")
	if err := writeFileAtomic(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("content %q", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode())
	}
	sub := filepath.Join(dir, "sub")
	if err := os.MkdirAll(filepath.Join(sub, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(sub, []byte("x")); err == nil {
		t.Error("replaced a non-empty directory")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("left over: %v", entries)
	}
}
