package flow_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

// checkFindings fails unless every finding is positioned and names a known rule.
func checkFindings(t testing.TB, fs []flow.Finding) {
	t.Helper()
	for _, f := range fs {
		if f.Line < 1 || f.Column < 1 {
			t.Errorf("finding without position: %v", f)
		}
		if flow.LookupRule(f.Rule) == nil {
			t.Errorf("finding with unknown rule: %v", f)
		}
		if strings.ContainsRune(f.Message, '\n') {
			t.Errorf("message spans lines: %q", f.Message)
		}
	}
}

func TestFileSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.flow.yaml")
	big := bytes.Repeat([]byte("# padding line of a flow file that is far too large\n"), 20<<20/52)
	if err := os.WriteFile(path, big, 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := flow.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	fs := flow.Validate(p, flow.Options{})
	if len(fs) != 1 || fs[0].Rule != flow.RuleFileSize || !strings.Contains(fs[0].Message, "20.0 MiB") {
		t.Fatalf("want one file-size finding naming 20.0 MiB, got %v", fs)
	}
}

func TestLoadMissing(t *testing.T) {
	if _, err := flow.Load(filepath.Join(t.TempDir(), "none.flow.yaml")); err == nil {
		t.Fatal("want an error for a missing file")
	}
}

// TestHostile: hostile documents give findings, never a panic or a hang.
func TestHostile(t *testing.T) {
	bomb := "version: 1\nname: bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		bomb += n + ": &" + n + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",") + "]\n"
		prev = n
	}
	tests := []struct {
		name, src, rule, msg string
	}{
		{"alias bomb", bomb, flow.RuleSchema, "aliases expand to more than"},
		{"deep nesting", "version: 1\nname: deep\nflows: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n", flow.RuleSchema, "nested deeper than 128 levels"},
		{"deep mappings", "version: 1\nname: deep\nflows:\n" + deepMap(300), flow.RuleSchema, "nested deeper than"},
		{"not a mapping", "- just\n- a list\n", flow.RuleSchema, "got array, want object"},
		{"scalar document", "hello\n", flow.RuleSchema, "got string, want object"},
		{"null document", "~\n", flow.RuleSchema, "got null, want object"},
		{"only comments", "# nothing\n", flow.RuleSchema, "file is empty"},
		{"blocks not a list", "version: 1\nname: x\nflows: { main: { start: a, blocks: { a: 1 } } }\n", flow.RuleSchema, "want array"},
		{"block not a mapping", "version: 1\nname: x\nflows: { main: { start: a, blocks: [1, [2]] } }\n", flow.RuleSchema, "want object"},
		{"non-scalar key", "version: 1\nname: x\n? [a]\n: b\nflows: {}\n", flow.RuleSchema, "unknown field"},
		{"merge keys", "version: 1\nname: x\nbase: &b { type: end }\nflows: { main: { start: a, blocks: [ { <<: *b, id: a } ] } }\n", flow.RuleSchema, "unknown field \"base\""},
		{"huge mapping", "version: 1\nname: wide\nintents:\n" + wideMap(90_000) + "flows: {}\n", flow.RuleSchema, "flows: must not be empty"},
		{"deep expression", "version: 1\nname: deep\nflows: { main: { start: a, blocks: [ { id: a, type: end, text: \"{" + strings.Repeat("(", 1_000_000) + "1" + strings.Repeat(")", 1_000_000) + "}\" } ] } }\n", flow.RuleExprSyntax, "nested deeper than 256 brackets"},
		{"unary when", "version: 1\nname: u\nflows: { main: { start: a, blocks: [ { id: a, type: say, input: true, outputs: [ { when: \"" + strings.Repeat("!", 800_000) + "true\", next: a } ] } ] } }\n", flow.RuleExprSyntax, "more than 16 unary operators"},
		{"unary text", "version: 1\nname: u\nflows: { main: { start: a, blocks: [ { id: a, type: end, text: \"{" + strings.Repeat("-", 800_000) + "1}\" } ] } }\n", flow.RuleExprSyntax, "more than 16 unary operators"},
		{"long expression", "version: 1\nname: u\nflows: { main: { start: a, blocks: [ { id: a, type: set, memory: { x: \"" + strings.Repeat("1+", 5000) + "1\" } } ] } }\n", flow.RuleExprSyntax, "flowctl compiles expressions up to 8192 bytes"},
		{"trailing separator", "version: 1\nname: t\nflows: { main: { start: a, blocks: [ { id: a, type: end } ] } }\n---\n", "", ""},
		{"control characters", "version: 1\nname: c\nflows: { main: { start: a, blocks: [ { id: \"a\\e[2J\", type: end } ] } }\n", flow.RuleSchema, `a\x1b[2J`},
		{"BOM", "\ufeffversion: 1\nname: bom\nflows: { main: { start: a, blocks: [ { id: a, type: end } ] } }\n", "", ""},
		{"CRLF", "version: 1\r\nname: crlf\r\nflows: { main: { start: a, blocks: [ { id: a, type: end } ] } }\r\n", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flow.Validate(flow.Parse("x.flow.yaml", []byte(tt.src)), flow.Options{})
			checkFindings(t, fs)
			if tt.rule == "" {
				if tt.name == "BOM" || tt.name == "CRLF" || tt.name == "trailing separator" {
					if len(fs) != 0 {
						t.Fatalf("want no findings, got %v", fs)
					}
				}
				return
			}
			for _, f := range fs {
				if f.Rule == tt.rule && strings.Contains(f.Message, tt.msg) {
					return
				}
			}
			t.Fatalf("want a %s finding containing %q, got %v", tt.rule, tt.msg, fs)
		})
	}
}

var unaryText = "flows: { main: { blocks: [ { id: a, type: end, text: \"{" + strings.Repeat("!", 1000) + "}\", x: "

// TestDeepNesting: documents nested far past the limit, or with too many
// nodes, are refused before either YAML parser runs (yaml.v3 accepts
// 10,000 levels; the syntax-error re-parse is quadratic in depth; a node
// costs hundreds of bytes), with a finding at the first node too many.
func TestDeepNesting(t *testing.T) {
	head := "version: 1\nname: deep\n"
	tests := []struct {
		name, src string
		line, col int
		nodes     bool // refused for its number of nodes
	}{
		{"brackets, 120 KB", head + "flows: " + strings.Repeat("[", 60_000) + strings.Repeat("]", 60_000), 3, 8 + 128, false},
		{"brackets, 200 KB", head + "flows: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000), 3, 8 + 128, false},
		{"unclosed brackets", head + "flows: " + strings.Repeat("[", 100_000), 3, 8 + 128, false},
		{"dashes", head + "flows:\n" + strings.Repeat("- ", 100_000), 4, 2*127 + 1, false},
		{"braces", head + "flows: " + strings.Repeat("{a: ", 60_000), 3, 4*128 + 5, false},
		{"after a string", head + unaryText + strings.Repeat("[", 1000), 3, len(unaryText) + 1 + 124, false},
		{"4 MB of zeros", head + "flows: [" + strings.Repeat("0,", 2<<20) + "0]", 3, 9 + 2*(500_000-8), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flow.Validate(flow.Parse("x.flow.yaml", []byte(tt.src)), flow.Options{})
			checkFindings(t, fs)
			reason := "nested deeper than 128 levels"
			if tt.nodes {
				reason = "more than 500000 nodes"
			}
			want := fmt.Sprintf("x.flow.yaml:%d:%d: error: document too complex: %s: flowctl reads flow files up to 128 levels deep, of 500000 nodes at most, 100000 of them reached through aliases [schema]", tt.line, tt.col, reason)
			if len(fs) != 1 || fs[0].String() != want {
				t.Fatalf("got %v\nwant %s", fs, want)
			}
		})
	}
}

// TestFindingsCap: a rule reports at most MaxFindingsPerRule findings per
// file, then counts the rest where they start.
func TestFindingsCap(t *testing.T) {
	src := "version: 1\nname: dup\nflows: { main: { start: a, blocks: [ { id: a, type: end } ] } }\nintents:\n" + strings.Repeat("  k: {}\n", 1500)
	fs := flow.Validate(flow.Parse("x.flow.yaml", []byte(src)), flow.Options{})
	if len(fs) != flow.MaxFindingsPerRule+1 {
		t.Fatalf("%d findings", len(fs))
	}
	want := "x.flow.yaml:1006:3: error: 499 more duplicate-id findings from here on are not shown (at most 1000 are) [duplicate-id]"
	if got := fs[len(fs)-1].String(); got != want {
		t.Errorf("last: %s\nwant %s", got, want)
	}
}

// TestSuggestionsBounded: "did you mean" compares at most a bounded number
// of names per rule and file; every name with every block id was minutes
// for a file of 20,000 blocks whose next all name nothing.
func TestSuggestionsBounded(t *testing.T) {
	var src strings.Builder
	src.WriteString("version: 1\nname: s\nflows:\n  main:\n    start: b0\n    blocks:\n")
	for i := range 20_000 {
		fmt.Fprintf(&src, "      - { id: b%d, type: say, text: hi, next: c%d }\n", i, i)
	}
	fs := flow.Validate(flow.Parse("x.flow.yaml", []byte(src.String())), flow.Options{})
	var next []flow.Finding
	for _, f := range fs {
		if f.Rule == flow.RuleUnknownNext {
			next = append(next, f)
		}
	}
	if len(next) != flow.MaxFindingsPerRule+1 || !strings.HasSuffix(next[0].Message, `did you mean "b0"?`) || strings.Contains(next[999].Message, "did you mean") {
		t.Fatalf("%d unknown-next findings; first %q; 1000th %q", len(next), next[0].Message, next[999].Message)
	}
}

// TestTooManyExprs: a file's expressions are bounded (each takes tens of
// microseconds to compile); past the bound, one finding.
func TestTooManyExprs(t *testing.T) {
	text := strings.Repeat("{memory.a}", flow.MaxExprs+500)
	src := "version: 1\nname: many\nflows: { main: { start: a, blocks: [ { id: a, type: end, text: \"" + text + "\" } ] } }\n"
	fs := flow.Validate(flow.Parse("x.flow.yaml", []byte(src)), flow.Options{})
	line3 := src[strings.Index(src, "flows:"):]
	col := strings.Index(line3, "{memory") + 1 + len("{memory.a}")*flow.MaxExprs + 1 // inside the 100,001st {
	want := fmt.Sprintf("x.flow.yaml:3:%d: error: more than 100000 expressions in one file (conditions, memory values and {...}): split the project [expr-syntax]", col)
	if len(fs) != 1 || fs[0].String() != want {
		t.Fatalf("got %v\nwant %s", fs, want)
	}
	ok := "version: 1\nname: many\nflows: { main: { start: a, blocks: [ { id: a, type: end, text: \"" + strings.Repeat("{memory.a}", flow.MaxExprs) + "\" } ] } }\n"
	if fs := flow.Validate(flow.Parse("x.flow.yaml", []byte(ok)), flow.Options{}); len(fs) != 0 {
		t.Errorf("%d expressions: %v", flow.MaxExprs, fs[:1])
	}
}

func wideMap(n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "  i%d: { keywords: [k] }\n", i)
	}
	sb.WriteString("  i0: {}\n")
	return sb.String()
}

func deepMap(n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		sb.WriteString(strings.Repeat(" ", 2*(i+1)) + "k:\n")
	}
	return sb.String()
}

// FuzzParse: any input parses and validates without panicking, every
// finding is positioned and names a known rule, and every expression
// evaluates or fails without crashing.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"testdata/ok", "testdata/err", "../testdata/examples"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.flow.y*ml"))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	// Hostile shapes: nesting past the limit (flow, block, single-pair),
	// unary runs and long expressions.
	head := "version: 1\nname: f\n"
	for _, s := range []string{
		head + "flows: " + strings.Repeat("[", 300) + strings.Repeat("]", 300),
		head + "flows:\n" + strings.Repeat("- ", 300),
		head + "flows: " + strings.Repeat("{a: ", 300),
		head + "flows: " + strings.Repeat("[a: ", 300),
		head + "flows:\n" + deepMap(200),
		head + "flows: { main: { start: a, blocks: [ { id: a, type: say, input: true, outputs: [ { when: \"" + strings.Repeat("!", 200) + "true\", next: a } ] } ] } }\n",
		head + "flows: { main: { start: a, blocks: [ { id: a, type: end, text: \"{" + strings.Repeat("-", 200) + "1}\" } ] } }\n",
		head + "flows: { main: { start: a, blocks: [ { id: a, type: set, memory: { s: 'repeat(repeat(\"x\", 999999), 999999)', t: 'reduce(1..36, #acc + #acc, \"x\")', u: 'reduce(1..999999, #acc + \"xxxxxxxxxx\", \"\")' } } ] } }\n",
		head + "flows: { main: { start: a, blocks: [ { id: a, type: set, memory: { x: 'not not not not not not not not not not not not not not not not not true', y: '" + strings.Repeat("2 ** ", 2000) + "1' } } ] } }\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p := flow.Parse("fuzz.flow.yaml", src)
		fs := flow.Validate(p, flow.Options{Enable: []string{flow.RuleUndefinedMemory}})
		checkFindings(t, fs)
		flow.QueueNames(p)
		env := &flow.Env{Memory: map[string]any{"name": "Ann"}, Input: "hello"}
		for _, fl := range p.Flows {
			for _, b := range fl.Blocks {
				b.Edges()
				b.Exits()
				// Expressions run within their budgets: an error at worst.
				for _, a := range b.Set {
					if a.Value != nil {
						a.Value.Eval(env)
					}
				}
				for _, o := range b.Outputs {
					if o.When != nil {
						o.When.Bool(env)
					}
				}
				for _, tpl := range b.Text {
					tpl.RenderLenient(env, func(*flow.Expr, error) {})
				}
			}
		}
	})
}

// TestHostilePipelined: the hostile documents again, each loaded as a
// large file is, on two cores (the nesting check while yaml.v3 decodes):
// the same findings, and yaml.v3 never sees what the check refuses.
func TestHostilePipelined(t *testing.T) {
	defer flow.PipelineFrom(0)()
	t.Run("hostile", TestHostile)
	t.Run("deep", TestDeepNesting)
}
