package simulate

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

func TestAtomsOf(t *testing.T) {
	tests := []struct {
		cond string
		want string // atoms, one per line: subject op values
	}{
		{`memory.n < 0`, `{input:false key:n fn:} < []interface {}{0}`},
		{`0 > memory.n`, `{input:false key:n fn:} < []interface {}{0}`},
		{`memory.t <= -5.5`, `{input:false key:t fn:} <= []interface {}{-5.5}`},
		{`lower(memory.email) endsWith "@vip.example"`, `{input:false key:email fn:lower} endsWith []interface {}{"@vip.example"}`},
		{`input contains "x" && len(input) > 20`, "{input:true key: fn:} contains []interface {}{\"x\"}\n{input:true key: fn:len} > []interface {}{20}"},
		{`memory.tier in ["gold", "vip"]`, `{input:false key:tier fn:} in []interface {}{"gold", "vip"}`},
		{`memory?.tier not in ["free"]`, `{input:false key:tier fn:} in []interface {}{"free"}`},
		{`(memory.count ?? 0) >= 3`, `{input:false key:count fn:} >= []interface {}{3}`},
		{`memory["k"] == true`, `{input:false key:k fn:} == []interface {}{true}`},
		{`input matches "^[A-Z]{2}$"`, `{input:true key: fn:} matches []interface {}{"^[A-Z]{2}$"}`},
		{`nlu.intent == "agent"`, ``},     // intents have samples of their own
		{`input == memory.offer`, ``},     // no literal
		{`upper(trim(input)) == "X"`, ``}, // two builtins
		{`memory.n + 1 > 2`, ``},          // arithmetic
		{`input matches "("`, ``},         // no valid pattern
		{`memory.tags contains "a" || input == "b"`, "{input:false key:tags fn:} contains []interface {}{\"a\"}\n{input:true key: fn:} == []interface {}{\"b\"}"},
	}
	for _, tt := range tests {
		var got []string
		for _, a := range atomsOf(&flow.Expr{Source: tt.cond}) {
			got = append(got, a.String())
		}
		if g := strings.Join(got, "\n"); g != tt.want {
			t.Errorf("atomsOf(%s) =\n%s\nwant\n%s", tt.cond, g, tt.want)
		}
	}
}

func TestAtomTargets(t *testing.T) {
	tests := []struct {
		cond string
		want string // the raw target values (the literal, then across the boundary), and whether each makes the atom true
	}{
		{`memory.n < 0`, `0:false -1:true`},
		{`memory.n <= 0`, `0:true 1:false`},
		{`memory.n > 100`, `100:false 101:true`},
		{`memory.n >= 18`, `18:true 17:false`},
		{`memory.n == 3`, `3:true 4:false`},
		{`len(input) > 2`, `xx:false xxx:true`},
		{`input startsWith "re"`, `re:true`},
		{`memory.tier in ["gold", "vip"]`, `gold:true vip:true`},
		{`lower(input) == "yes"`, `yes:true`},
		{`int(input) > 5`, `5:false 6:true`},
	}
	for _, tt := range tests {
		as := atomsOf(&flow.Expr{Source: tt.cond})
		if len(as) != 1 {
			t.Fatalf("%s: %d atoms", tt.cond, len(as))
		}
		var got []string
		for _, tg := range as[0].targets() {
			var v any = tg.raw
			if n, ok := applyFn("float", tg.raw); ok && as[0].subject.fn == "" && !as[0].subject.input {
				v = n // a number entity's value
			}
			if !tg.hits(v) {
				t.Errorf("%s: target %q misses itself", tt.cond, tg.raw)
			}
			got = append(got, fmt.Sprintf("%s:%v", tg.raw, as[0].holds(v)))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("targets(%s) = %s, want %s", tt.cond, g, tt.want)
		}
	}
}

func TestDerivedThroughEntities(t *testing.T) {
	p := load(t, `version: 1
name: x
flows:
  main:
    start: e
    blocks:
      - { id: e, type: ask, text: "E-mail?", variable: email, entity: email, next: p }
      - { id: p, type: ask, text: "Phone?", variable: phone, entity: phone, next: y }
      - { id: y, type: ask, text: "OK?", variable: ok, entity: yes_no, next: s }
      - { id: s, type: say, text: "Go on", input: true, outputs: [{ when: 'memory.email endsWith ".de" && memory.phone startsWith "+49" && memory.ok == false', next: a }, { when: len(memory.email) > 20, next: a }, { next: a }] }
      - { id: a, type: end }
`)
	in := newInputs(p, NewRecogniser(nil))
	f := p.EntryFlow()
	for id, want := range map[string]string{
		"e": "ann@example.de xxxxxxxxx@example.com", // 21 characters
		"p": "+495550100",
		"y": "", // yes and no are the entity's samples already
		"s": "",
	} {
		b := f.Block(id)
		if got := strings.Join(in.derived(b, entitySamples(b)), " "); got != want {
			t.Errorf("derived at %s = %q, want %q", id, got, want)
		}
	}
}

// TestDerivedThroughPattern checks that string conditions on a pattern
// ask's value are reached by splicing the literal into a string the
// pattern matches: at its start, its end or its middle.
func TestDerivedThroughPattern(t *testing.T) {
	p := load(t, `version: 1
name: x
flows:
  main:
    start: c
    blocks:
      - id: c
        type: ask
        text: "Code?"
        variable: code
        entity: pattern
        pattern: '[A-Z]{2}-\d{4}'
        outputs:
          - { when: 'memory.code startsWith "XY"', next: a }
          - { when: 'memory.code endsWith "99"', next: a }
          - { when: 'memory.code contains "-5"', next: a }
          - { when: 'memory.code == "QQ-1234"', next: a }
          - { next: a }
      - { id: a, type: end }
`)
	in := newInputs(p, NewRecogniser(nil))
	b := p.EntryFlow().Block("c")
	got := in.derived(b, entitySamples(b))
	if want := "XY-0000 AA-0099 AA-5000 QQ-1234"; strings.Join(got, " ") != want {
		t.Errorf("derived = %q, want %q", got, want)
	}
	r, err := Explore(context.Background(), p, ExploreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if nc := r.Coverage.Edges.NotCovered; len(nc) > 0 {
		t.Errorf("not covered: %v", nc)
	}
}

func TestSplices(t *testing.T) {
	if got, want := strings.Join(splices("abc", "X"), " "), "Xbc abX aXc Xabc aXbc abXc abcX"; got != want {
		t.Errorf("splices = %q, want %q", got, want)
	}
	if got := splices(strings.Repeat("a", maxSpliceSample+1), "X"); got != nil {
		t.Errorf("splices of a long sample = %q, want none", got)
	}
}
