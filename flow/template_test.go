package flow

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func at(line, col int) posFunc { return func(off int) Pos { return Pos{line, col + off} } }

func TestTemplate(t *testing.T) {
	env := &Env{Memory: map[string]any{"name": "Ann", "n": 2.5, "m": map[string]any{"k": "v"}}, NLU: NLU{Intent: "agent", Score: 1}}
	tests := []struct {
		src, want string
		static    bool
	}{
		{"plain text", "plain text", true},
		{"Hi {memory.name}!", "Hi Ann!", false},
		{"{{literal} and }", "{literal} and }", true},
		{"{memory.n * 2} items", "5 items", false},
		{`{ {"a": "}"}["a"] }`, "}", false},
		{"{memory.missing}|", "|", false},
		{"{nlu.intent}/{nlu.score}", "agent/1", false},
		{"{memory.m.k}", "v", false},
	}
	for _, tt := range tests {
		tpl := parseTemplate(tt.src, at(1, 1), nil)
		got, err := tpl.Render(env)
		if err != nil || got != tt.want {
			t.Errorf("%q: got %q, %v; want %q", tt.src, got, err, tt.want)
		}
		if tpl.Static() != tt.static {
			t.Errorf("%q: Static() = %v", tt.src, tpl.Static())
		}
		if text, ok := tpl.StaticText(); ok != tt.static || (ok && text != tt.want) {
			t.Errorf("%q: StaticText() = %q, %v", tt.src, text, ok)
		}
	}
}

func TestTemplateErrors(t *testing.T) {
	tpl := parseTemplate("ab {memory.x +} cd", at(3, 10), nil)
	err := tpl.Err()
	if err == nil || err.Pos != (Pos{3, 23}) {
		t.Fatalf("want a compile error at 3:23 (the dangling +), got %+v at %v", err, err.Pos)
	}
	if _, err := tpl.Render(&Env{}); err == nil {
		t.Error("Render of a broken template must fail")
	}
	open := parseTemplate("x {memory.y", at(1, 1), nil)
	if e := open.Err(); e == nil || !strings.Contains(e.Message, "unclosed {") || e.Pos != (Pos{1, 3}) {
		t.Errorf("unclosed: %+v", e)
	}
}

func TestRenderLenient(t *testing.T) {
	tpl := parseTemplate("Hi {memory.a.b}, total {1 + 1}", at(1, 1), nil)
	var failed []string
	got, err := tpl.RenderLenient(&Env{Memory: map[string]any{"a": 5}}, func(e *Expr, err error) { failed = append(failed, e.Source) })
	if err != nil || got != "Hi , total 2" || len(failed) != 1 || failed[0] != "memory.a.b" {
		t.Errorf("got %q %v, failed %v", got, err, failed)
	}
	broken := parseTemplate("{(}", at(1, 1), nil)
	if _, err := broken.RenderLenient(&Env{}, func(*Expr, error) {}); err == nil {
		t.Error("a template that did not compile must return its error")
	}
}

func TestExprEval(t *testing.T) {
	e := compileExpr(`nlu.intent == "agent" && memory.count > 1`, at(1, 1), true)
	ok, err := e.Bool(&Env{NLU: NLU{Intent: "agent"}, Memory: map[string]any{"count": 2}})
	if err != nil || !ok {
		t.Errorf("got %v %v", ok, err)
	}
	bad := compileExpr("nlu.nope", at(2, 5), true)
	var ee *ExprError
	if _, err := bad.Eval(&Env{}); !errors.As(err, &ee) || ee.Pos.Line != 2 {
		t.Errorf("want the compile error, got %v", err)
	}
	if e := compileExpr("  ", at(1, 1), false); e.Err() == nil || e.Err().Message != "empty expression" {
		t.Errorf("blank: %+v", e.Err())
	}
}

func TestFormatValue(t *testing.T) {
	for v, want := range map[any]string{nil: "", "s": "s", 3.0: "3", 2.50: "2.5", 7: "7", true: "true"} {
		if got := FormatValue(v); got != want {
			t.Errorf("FormatValue(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestFormatValueComposite: lists and maps render as JSON, with numbers
// written out in full and null for nil inside.
func TestFormatValueComposite(t *testing.T) {
	deep := any("x")
	for range maxFormatDepth + 2 {
		deep = []any{deep}
	}
	tests := []struct {
		v    any
		want string
	}{
		{map[string]any{"z": nil, "k": []any{1, 2}}, `{"k":[1,2],"z":null}`},
		{[]any{1, "a", true}, `[1,"a",true]`},
		{[]any{1e21, 1e-7, 2.50, 0.0}, `[1000000000000000000000,0.0000001,2.5,0]`},
		{[]string{"a", `say "hi"\`, "tab\tnew\nline\x01"}, `["a","say \"hi\"\\","tab\tnew\nline\u0001"]`},
		{map[string]int{"b": 2, "a": 1}, `{"a":1,"b":2}`},
		{map[any]any{2: "two", "<x>": []any{}}, `{"2":"two","<x>":[]}`},
		{[]any{map[string]any{}, []any{nil}}, `[{},[null]]`},
		{[]any{time.Duration(90) * time.Second}, `["1m30s"]`},
		{[]any{"\xff"}, "[\"\uFFFD\"]"},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.v); got != tt.want {
			t.Errorf("FormatValue(%#v) = %s, want %s", tt.v, got, tt.want)
		}
	}
	if got := FormatValue(deep); !strings.Contains(got, "[…]") || strings.Contains(got, `"x"`) {
		t.Errorf("deep list: %s", got)
	}
	env := &Env{Memory: map[string]any{"m": map[string]any{"k": []any{1, 2}, "z": nil}}}
	tpl := parseTemplate("m={memory.m} list={[1, 'a', true]} s={split('a,b', ',')}", at(1, 1), nil)
	got, err := tpl.Render(env)
	if want := `m={"k":[1,2],"z":null} list=[1,"a",true] s=["a","b"]`; err != nil || got != want {
		t.Errorf("render = %q, %v\nwant %q", got, err, want)
	}
}
