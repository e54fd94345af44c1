package graph

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/golden"
	"github.com/google/go-cmp/cmp"
)

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
	file string // flow file, relative to graph/
	opts Options
}

// graphGoldenCases are the golden files in testdata; the browser and
// Graphviz checks render the same cases.
func graphGoldenCases() []graphCase {
	const acme = "../testdata/examples/acme.flow.yaml"
	const corpus = "testdata/corpus.flow.yaml"
	const broken = "testdata/broken.flow.yaml"
	var cases []graphCase
	for _, format := range Formats {
		cases = append(cases,
			graphCase{"acme", acme, Options{Format: format}},
			graphCase{"acme-main", acme, Options{Format: format, Flow: "main"}},
			graphCase{"acme-coverage", acme, Options{Format: format, Covered: acmeCovered}},
			graphCase{"corpus", corpus, Options{Format: format}},
			graphCase{"corpus-after-sales", corpus, Options{Format: format, Flow: "after-sales"}},
			graphCase{"corpus-coverage", corpus, Options{Format: format, Covered: alternateCoverage(loadGraphProject(nil, corpus))}},
			graphCase{"corpus-coverage-none", corpus, Options{Format: format, Covered: map[string]bool{}}},
			graphCase{"broken", broken, Options{Format: format}},
		)
	}
	return cases
}

// alternateCoverage covers every other block, edge and exit of p, in the
// order Write draws them, so that both colours appear everywhere.
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

// renderCase draws a golden case; it returns the model and the bytes.
func renderCase(t *testing.T, tc graphCase) (*Graph, []byte) {
	t.Helper()
	g, out, err := Render(loadGraphProject(t, tc.file), tc.opts)
	if err != nil {
		t.Fatal(err)
	}
	return g, out
}

func graphExt(format string) string {
	if format == "dot" {
		return ".dot"
	}
	return ".mmd"
}

// TestGraphGolden compares Write's output with testdata/*.mmd and *.dot;
// go test ./graph -run TestGraphGolden -update rewrites them.
func TestGraphGolden(t *testing.T) {
	for _, tc := range graphGoldenCases() {
		goldenPath := filepath.Join("testdata", tc.name+graphExt(tc.opts.Format))
		t.Run(filepath.Base(goldenPath), func(t *testing.T) {
			p := loadGraphProject(t, tc.file)
			var buf bytes.Buffer
			if err := Write(&buf, p, tc.opts); err != nil {
				t.Fatal(err)
			}
			// Drawing twice gives the same bytes.
			var again bytes.Buffer
			if err := Write(&again, p, tc.opts); err != nil {
				t.Fatal(err)
			}
			if buf.String() != again.String() {
				t.Fatal("two drawings of the same file differ")
			}
			golden.Check(t, goldenPath, buf.String())
		})
	}
}

func TestWriteGraphErrors(t *testing.T) {
	p := loadGraphProject(t, "../testdata/examples/acme.flow.yaml")
	err := Write(&bytes.Buffer{}, p, Options{Format: "svg"})
	if !errors.Is(err, ErrUnknownFormat) || err.Error() != `unknown graph format "svg": want mermaid or dot` {
		t.Errorf("format svg: got %v", err)
	}
	err = Write(&bytes.Buffer{}, p, Options{Flow: "nope"})
	if err == nil || err.Error() != `unknown flow "nope": the file has "main", "billing"` {
		t.Errorf("flow nope: got %v", err)
	}
	empty := flow.Parse("empty.flow.yaml", []byte("version: 1\nname: x\n"))
	err = Write(&bytes.Buffer{}, empty, Options{Flow: "main"})
	if err == nil || err.Error() != `unknown flow "main": the file has no flows` {
		t.Errorf("no flows: got %v", err)
	}
}

// TestRenderMarkdown: Markdown puts the bare graph inside a fence named
// after the format.
func TestRenderMarkdown(t *testing.T) {
	p := loadGraphProject(t, "../testdata/examples/acme.flow.yaml")
	for _, format := range Formats {
		_, bare, err := Render(p, Options{Format: format})
		if err != nil {
			t.Fatal(err)
		}
		_, fenced, err := Render(p, Options{Format: format, Markdown: true})
		if err != nil {
			t.Fatal(err)
		}
		if want := "```" + format + "\n" + string(bare) + "```\n"; string(fenced) != want {
			t.Errorf("%s: got %q, want %q", format, fenced, want)
		}
	}
	if _, out, err := Render(p, Options{Flow: "nope", Markdown: true}); err == nil || out != nil {
		t.Errorf("unknown flow: %q, %v", out, err)
	}
}

func TestPathFormats(t *testing.T) {
	for path, want := range map[string][2]string{
		"g.md": {"true", "mermaid"}, "G.MARKDOWN": {"true", "mermaid"}, "g.mmd": {"false", "mermaid"},
		"g.dot": {"false", "dot"}, "G.GV": {"false", "dot"}, "g": {"false", "mermaid"}, "d.dot.md": {"true", "mermaid"},
	} {
		if got := [2]string{fmt.Sprint(IsMarkdownPath(path)), FormatOfPath(path)}; got != want {
			t.Errorf("%s: markdown, format %v, want %v", path, got, want)
		}
	}
}

func TestCheckFlow(t *testing.T) {
	p := loadGraphProject(t, "../testdata/examples/acme.flow.yaml")
	if err := CheckFlow(p, "billing"); err != nil {
		t.Errorf("billing: %v", err)
	}
	if err := CheckFlow(p, "nope"); err == nil || err.Error() != `unknown flow "nope": the file has "main", "billing"` {
		t.Errorf("nope: %v", err)
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
	p := loadGraphProject(t, "testdata/corpus.flow.yaml")
	g, err := build(p, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	nodes := map[string]*Node{}
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
	styles := map[string]EdgeStyle{}
	for _, e := range g.Edges {
		styles[e.From+">"+e.To+":"+e.Label] = e.Style
	}
	for key, want := range map[string]EdgeStyle{
		"main_to_agent>main_fallback:handover failed":              EdgeDotted,
		"main_to_agent>main_after:agent closed: resume":            EdgeThick,
		"after_sales_s1>after_sales_s2:never taken: resume is off": EdgeDotted,
		"main_go_sales>after_sales_s1:transfer":                    EdgeThick,
		"main_hello>main_no_input_end:otherwise":                   EdgeSolid,
	} {
		if got, ok := styles[key]; !ok || got != want {
			t.Errorf("edge %s: style %q (present %v), want %q", key, got, ok, want)
		}
	}
}

// TestMermaidTooLarge: beyond Mermaid's edge or text limits the graph
// says why it will not render.
func TestMermaidTooLarge(t *testing.T) {
	g := &Graph{Edges: make([]*Edge, MermaidMaxEdges+1)}
	if why := g.MermaidTooLarge(10); why != "501 edges (Mermaid draws at most 500)" {
		t.Errorf("edges: %q", why)
	}
	g = &Graph{Edges: make([]*Edge, MermaidMaxEdges)}
	if why := g.MermaidTooLarge(10); why != "" {
		t.Errorf("at the edge limit: %q", why)
	}
	g = &Graph{}
	if why := g.MermaidTooLarge(MermaidMaxTextSize + 1); why != "50001 characters (Mermaid reads at most 50000)" {
		t.Errorf("text size: %q", why)
	}
	if why := g.MermaidTooLarge(MermaidMaxTextSize); why != "" {
		t.Errorf("at the limit: %q", why)
	}
}
