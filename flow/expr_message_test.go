package flow

import (
	"errors"
	"regexp"
	"testing"

	"github.com/expr-lang/expr/file"
)

// goWords are what an expression message must never show: Go type names,
// expr-lang token kinds and positions.
var goWords = regexp.MustCompile(`flow\.|interface \{\}|float64|\bint\b|<nil>|\(\d+:\d+\)|token|time\.`)

// TestExprMessages: compile and run-time errors of expressions speak of
// memory, nlu, input and session, numbers, strings, lists and maps.
func TestExprMessages(t *testing.T) {
	tests := []struct {
		src  string
		cond bool
		want string
	}{
		{src: `nlu.intnt == "x"`, cond: true, want: `nlu has no field "intnt" (it has intent and score); did you mean "intent"?`},
		{src: `session.idd`, want: `session has no field "idd" (it has id and channel); did you mean "id"?`},
		{src: `input.foo`, want: `string has no field "foo"`},
		{src: `nlu.score.x`, want: `number has no field "x"`},
		{src: `nlu.intent + 1`, want: `invalid operation: + (mismatched types string and number)`},
		{src: `len(nlu)`, want: `invalid argument for len (type nlu)`},
		{src: `nlu`, cond: true, want: `a condition must be true or false, but this is nlu`},
		{src: `mmeory.x`, want: `unknown name "mmeory": expressions see memory, nlu, input and session; did you mean "memory"?`},
		{src: `1 +`, want: `unexpected end of expression`},
		{src: `memory.x | 3`, want: `unexpected number "3"`},
		{src: `upper(nlu.score)`, want: `cannot use number as argument (type string) to call upper`},
		{src: `[1,2][nlu]`, want: `array elements can only be selected using an integer (got nlu)`},
	}
	for _, tt := range tests {
		e := compileExpr(tt.src, at(1, 1), tt.cond)
		if e.Err() == nil {
			t.Errorf("%q compiled", tt.src)
			continue
		}
		if got := e.Err().Message; got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, got, tt.want)
		}
		if goWords.MatchString(e.Err().Message) {
			t.Errorf("%q: Go words in %q", tt.src, e.Err().Message)
		}
	}
}

// TestExprRunMessages: run-time errors are *ExprError at the position in
// the file, one line, in a flow's words.
func TestExprRunMessages(t *testing.T) {
	env := &Env{Memory: map[string]any{"s": "text", "n": 3.0, "m": map[string]any{"a": 1}}}
	tests := []struct {
		src  string
		want string
		col  int
	}{
		{src: `memory.topic.name`, want: `cannot read "name" from nil (a value that is not set)`, col: 14},
		{src: `memory.n + memory.s`, want: `invalid operation: number + string`, col: 10},
		{src: `memory.x + 1`, want: `invalid operation: nil + number`, col: 10},
		{src: `upper(memory.n)`, want: `got a number where a string is needed`, col: 1},
		{src: `memory.s matches memory.m`, want: `got a map where a string is needed`, col: 10},
		{src: `memory.m.a.b`, want: `cannot read "b" from a number`, col: 12},
	}
	for _, tt := range tests {
		e := compileExpr(tt.src, at(3, 1), false)
		if e.Err() != nil {
			t.Fatalf("%q: %v", tt.src, e.Err())
		}
		_, err := e.Eval(env)
		var ee *ExprError
		if !errors.As(err, &ee) {
			t.Errorf("%q: want an *ExprError, got %T %v", tt.src, err, err)
			continue
		}
		if ee.Message != tt.want || ee.Pos != (Pos{3, tt.col}) {
			t.Errorf("%q:\n got %s at %v\nwant %s at 3:%d", tt.src, ee.Message, ee.Pos, tt.want, tt.col)
		}
		if goWords.MatchString(ee.Error()) {
			t.Errorf("%q: Go words in %q", tt.src, ee.Error())
		}
		var fe *file.Error
		if !errors.As(err, &fe) {
			t.Errorf("%q: expr-lang's error is not in the chain", tt.src)
		}
	}
}
