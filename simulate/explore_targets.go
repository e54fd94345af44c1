package simulate

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/flowctl/flowctl/flow"
)

// target is a value for an atom's subject (before its fn) that decides
// the atom one way: raw is the value as the user would type it.
type target struct {
	raw string
	fn  string
	// want tells whether a value (after fn) is the one aimed at.
	want func(v any) bool
}

// hits reports whether a value of the subject (before fn) is the target.
func (t target) hits(v any) bool {
	w, ok := applyFn(t.fn, v)
	return ok && t.want(w)
}

// targets are values on both sides of the atom: each literal itself, and
// for an order comparison the value just across its boundary.
func (a atom) targets() []target {
	var out []target
	add := func(raw string, want func(any) bool) {
		out = append(out, target{raw: raw, fn: a.subject.fn, want: want})
	}
	for _, lit := range a.values {
		switch a.op {
		case "==", "!=", "in":
			add(rawOf(a.subject.fn, lit), equals(lit))
			if n, ok := lit.(float64); ok {
				add(rawOf(a.subject.fn, n+1), equals(n+1))
			}
		case "<", "<=", ">", ">=":
			n, ok := lit.(float64)
			if !ok {
				continue
			}
			other := n - 1 // the other side of the boundary
			if a.op == "<=" || a.op == ">" {
				other = n + 1
			}
			for _, x := range []float64{n, other} {
				if a.subject.fn == "len" && x < 0 {
					continue
				}
				add(rawOf(a.subject.fn, x), equals(x))
			}
		case "startsWith", "endsWith", "contains":
			if s, ok := lit.(string); ok {
				add(s, stringTest(a.op, s))
			}
		case "matches":
			if s, ok := RegexpSample(a.re); ok {
				re := a.re
				add(s, func(v any) bool { x, ok := v.(string); return ok && re.MatchString(x) })
			}
		}
	}
	return out
}

// holds evaluates the atom on a value of its subject (before fn); a value
// the atom cannot take is false.
func (a atom) holds(v any) bool {
	w, ok := applyFn(a.subject.fn, v)
	if !ok {
		return false
	}
	if a.op == "in" {
		for _, lit := range a.values {
			if equals(lit)(w) {
				return true
			}
		}
		return false
	}
	lit := a.values[0]
	switch a.op {
	case "==":
		return equals(lit)(w)
	case "!=":
		return !equals(lit)(w)
	case "<", "<=", ">", ">=":
		x, ok1 := number(w)
		n, ok2 := lit.(float64)
		if !ok1 || !ok2 {
			return false
		}
		return map[string]bool{"<": x < n, "<=": x <= n, ">": x > n, ">=": x >= n}[a.op]
	case "matches":
		s, ok := w.(string)
		return ok && a.re.MatchString(s)
	}
	s, ok := lit.(string)
	return ok && stringTest(a.op, s)(w)
}

// stringTest is startsWith, endsWith or contains with lit.
func stringTest(op, lit string) func(any) bool {
	pred := map[string]func(string, string) bool{"startsWith": strings.HasPrefix, "endsWith": strings.HasSuffix, "contains": strings.Contains}[op]
	return func(v any) bool {
		s, ok := v.(string)
		return ok && pred != nil && pred(s, lit)
	}
}

// equals compares like expr: numbers by value, otherwise same type and value.
func equals(lit any) func(any) bool {
	return func(v any) bool {
		if n, ok := lit.(float64); ok {
			x, ok := number(v)
			return ok && x == n
		}
		return v == lit
	}
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	}
	return 0, false
}

// rawOf is what the user types to give the value lit after fn.
func rawOf(fn string, lit any) string {
	if n, ok := lit.(float64); ok && fn == "len" {
		return strings.Repeat("x", int(math.Max(0, n)))
	}
	return flow.FormatValue(lit)
}

// applyFn applies a subject's builtin as expr would.
func applyFn(fn string, v any) (any, bool) {
	s, isStr := v.(string)
	switch fn {
	case "":
		return v, true
	case "string":
		return flow.FormatValue(v), true
	case "len":
		return float64(utf8.RuneCountInString(s)), isStr
	case "lower":
		return strings.ToLower(s), isStr
	case "upper":
		return strings.ToUpper(s), isStr
	case "trim":
		return strings.TrimSpace(s), isStr
	case "int", "float":
		if n, ok := number(v); ok {
			if fn == "int" {
				n = math.Trunc(n)
			}
			return n, true
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if !isStr || err != nil {
			return nil, false
		}
		if fn == "int" {
			f = math.Trunc(f)
		}
		return f, true
	}
	return nil, false
}
