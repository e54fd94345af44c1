package flow

import (
	"strings"
	"testing"
)

// TestCheckSource: sources expr-lang's recursive parser could not survive
// are refused before it runs, at the offending place; sources within the
// bounds compile as before.
func TestCheckSource(t *testing.T) {
	tests := []struct {
		name, src string
		off       int
		msg       string
	}{
		{"800,000 !", strings.Repeat("!", 800_000) + "true", 0, "more than 16 unary operators (!, not, - or +) in a row"},
		{"800,000 -", "1 + " + strings.Repeat("-", 800_000) + "1", 2, "more than 16 unary operators"},
		{"spaced +", strings.Repeat("+ ", 100_000) + "1", 0, "more than 16 unary operators"},
		{"not", "x == 1 and " + strings.Repeat("not ", 100_000) + "true", 11, "more than 16 unary operators"},
		{"comments between", strings.Repeat("-/* c */", 100_000) + "1", 0, "more than 16 unary operators"},
		{"17 in a row", strings.Repeat("!", 17) + "true", 0, "more than 16 unary operators"},
		{"brackets", strings.Repeat("(", 1000) + "1" + strings.Repeat(")", 1000), 256, "nested deeper than 256 brackets"},
		{"long", strings.Repeat("1 + ", 3000) + "1", 0, "expression is 12001 bytes long; flowctl compiles expressions up to 8192 bytes"},
		{"right-associative chain", strings.Repeat("2 ** ", 500_000) + "1", 0, "expression is 2500001 bytes long"},
		{"after a string", `"é!!!" + ` + strings.Repeat("-", 20) + "1", 7, "more than 16 unary operators"},
	}
	for _, tt := range tests {
		e := compileExpr(tt.src, at(1, 1), false)
		err := e.Err()
		if err == nil || err.Pos != (Pos{1, 1 + tt.off}) || !strings.HasPrefix(err.Message, tt.msg) {
			t.Errorf("%s: got %v, want %q at 1:%d", tt.name, err, tt.msg, 1+tt.off)
		}
	}
	for _, ok := range []string{
		strings.Repeat("!", 16) + "true",
		"memory.a != memory.b and not (1 - -1 > 0)",
		"notice + nothing",
		`"` + strings.Repeat("!", 100) + `" + '` + strings.Repeat("(", 300) + `'`,
		"1e-5 - +2",
		"// " + strings.Repeat("!", 100) + "\n1",
		strings.Repeat("1+", 4000) + "1",
	} {
		if err := checkSource(ok); err != nil {
			t.Errorf("%.40q: %v", ok, err)
		}
	}
}
