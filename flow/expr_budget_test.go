package flow

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

// TestEvalBudgets: hostile expressions stop at a bound with a
// *BudgetError, having allocated a bounded amount; a crash (fatal out of
// memory) or minutes of work before.
func TestEvalBudgets(t *testing.T) {
	big := strings.Repeat("x", 60_000)
	env := &Env{Memory: map[string]any{"big": big, "huge": strings.Repeat("y", 1<<20), "list": strings.Split(strings.Repeat("a,", 5000), ",")}}
	tests := []struct{ src, want string }{
		{`repeat(repeat("x", 999999), 999999)`, "the 64 KiB limit of one value"},
		{`reduce(1..36, #acc + #acc, "x")`, "the 64 KiB limit of one value"},
		{`reduce(1..999999, #acc + "xxxxxxxxxx", "")`, "16 MiB of memory"},
		{`count(memory.list, count(memory.list, # == "a") > 0)`, "1000000 evaluation steps"},
		{`count(1..999999, count(1..999999, true) > 0)`, "1000000 list elements"},
		{`map(1..999999, #)`, "1000000 evaluation steps"},
		{`reduce(1..999999, [#acc], [])`, "1000000 list elements"},
		{`reduce(1..400000, [#acc], [])`, "1000000 evaluation steps"},
		{`toJSON(reduce(1..40, [#acc, #acc], ["x"]))`, "16 MiB of memory"},
		{`string(reduce(1..40, [#acc, #acc], ["x"]))`, "16 MiB of memory"},
		{`len(flatten(reduce(1..40, [#acc, #acc], [1])))`, "16 MiB of memory"},
		{`reduce(1..40, [#acc, #acc], ["x"])`, "the 64 KiB limit of one value"},
		{`join(map(1..1000, memory.big), "")`, "16 MiB of memory"},
		{`join(map(1..10, memory.big), "")`, "the 64 KiB limit of one value"},
		{`replace(memory.big, "", "yyyy")`, "the 64 KiB limit of one value"},
		{`memory.big matches memory.big`, "1000000 evaluation steps"},
		{`count(1..99999, memory.huge contains "z")`, "1000000 evaluation steps"},
		{`count(1..99999, "z" in memory.list)`, "1000000 evaluation steps"},
		{`memory.huge + "!"`, "the 64 KiB limit of one value"},
		{`upper(memory.huge)`, "the 64 KiB limit of one value"},
		{`1..100000`, "the 64 KiB limit of one value"},
		{`toJSON(reduce(1..20000, [#acc], []))`, "16 MiB of memory"},
		{`len(map(1..100000, now().Format(memory.big)))`, "16 MiB of memory"},
		{`date("2024-09-01").Format(repeat("January", 9000))`, "the 64 KiB limit of one value"},
	}
	for _, tt := range tests {
		e := compileExpr(tt.src, at(1, 1), false)
		if e.Err() != nil {
			t.Fatalf("%s: %v", tt.src, e.Err())
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := e.Eval(env)
		runtime.ReadMemStats(&after)
		var be *BudgetError
		if !errors.As(err, &be) || !strings.HasPrefix(err.Error(), "expression exceeded "+tt.want) {
			t.Errorf("%s: got %v, want expression exceeded %s", tt.src, err, tt.want)
		}
		if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 100 {
			t.Errorf("%s: allocated %d MB", tt.src, mb)
		}
	}
}

// TestEvalWithinBudgets: ordinary expressions, some of them loops and
// string work, run as before.
func TestEvalWithinBudgets(t *testing.T) {
	env := &Env{Memory: map[string]any{"name": "Ann", "tags": []any{"a", "b", "c"}, "n": 3}, NLU: NLU{Intent: "agent"}, Input: "I was charged twice"}
	tests := []struct {
		src  string
		want any
	}{
		{`"Hi " + memory.name + "!"`, "Hi Ann!"},
		{`memory.n + 1`, 4},
		{`join(map(memory.tags, upper(#)), ", ")`, "A, B, C"},
		{`reduce(1..100, #acc + 1, 0)`, 100},
		{`sum(1..999999)`, 499999500000},
		{`len(repeat("ab", 30000))`, 60000},
		{`input matches "(?i)charged? twice" and input contains "twice"`, true},
		{`"b" in memory.tags && nlu.intent in ["agent", "human"]`, true},
		{`count(1..1000, # % 7 == 0)`, 142},
		{`toJSON({"a": [1, 2]})`, "{\n  \"a\": [\n    1,\n    2\n  ]\n}"},
		{`replace("a-b-c", "-", "+")`, "a+b+c"},
		{`filter(split("x,y,z", ","), # != "y")`, []string{"x", "z"}},
		{`date("2024-01-02").Format("2006")`, "2024"},
		{`toJSON(reduce(1..50, [#acc], []))[:3]`, "[\n "},
	}
	for _, tt := range tests {
		e := compileExpr(tt.src, at(1, 1), false)
		if e.Err() != nil {
			t.Fatalf("%s: %v", tt.src, e.Err())
		}
		got, err := e.Eval(env)
		if err != nil || !equalValues(got, tt.want) {
			t.Errorf("%s: got %#v, %v; want %#v", tt.src, got, err, tt.want)
		}
	}
}

func equalValues(a, b any) bool {
	if as, ok := a.([]any); ok {
		bs, ok := b.([]string)
		if !ok || len(as) != len(bs) {
			return false
		}
		for i := range as {
			if as[i] != bs[i] {
				return false
			}
		}
		return true
	}
	return a == b
}

// TestRenderBudget: what a template's interpolations add is capped; the
// interpolation that would pass the cap fails and renders empty.
func TestRenderBudget(t *testing.T) {
	env := &Env{Memory: map[string]any{"big": strings.Repeat("x", 40_000)}}
	tpl := parseTemplate("a{memory.big}b{memory.big}c", at(1, 1), nil)
	var failed []string
	got, err := tpl.RenderLenient(env, func(e *Expr, err error) { failed = append(failed, e.Source+": "+err.Error()) })
	if err != nil || got != "a"+strings.Repeat("x", 40_000)+"bc" || len(failed) != 1 || failed[0] != "memory.big: expression exceeded the 64 KiB limit of one value" {
		t.Errorf("got %d bytes, %v, failed %q", len(got), err, failed)
	}
}
