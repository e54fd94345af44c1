package flow

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/vm/runtime"
)

// The functions a metered tree calls (see meterTree): each charges the
// evaluation's meter, checks sizes before it allocates, then does what the
// VM or the builtin would.

// meterOf returns the meter of the evaluation whose Env is env.
func meterOf(env any) *meter {
	if e, ok := env.(*Env); ok && e.meter != nil {
		return e.meter
	}
	return &meter{} // run outside Eval: bounded per call only
}

// derefValue follows pointers, as expr-lang does before its operators.
func derefValue(v any) any {
	r := reflect.ValueOf(v)
	if r.Kind() != reflect.Pointer {
		return v
	}
	for r.Kind() == reflect.Pointer && !r.IsNil() {
		r = r.Elem()
	}
	return r.Interface()
}

func meteredStep(args ...any) (any, error) {
	if err := meterOf(args[0]).step(args[1].(int)); err != nil {
		return nil, err
	}
	return args[2], nil
}

func meteredAdd(args ...any) (any, error) {
	m := meterOf(args[0])
	a, b := derefValue(args[1]), derefValue(args[2])
	sa, ok1 := a.(string)
	sb, ok2 := b.(string)
	if !ok1 || !ok2 {
		return runtime.Add(a, b), m.step(1)
	}
	n := len(sa) + len(sb)
	if n > MaxValueBytes {
		return nil, errValue
	}
	if err := m.step(1 + n/64); err != nil {
		return nil, err
	}
	if err := m.alloc(n); err != nil {
		return nil, err
	}
	return sa + sb, nil
}

func meteredIn(args ...any) (any, error) {
	a, b := derefValue(args[1]), derefValue(args[2])
	cost := 1
	if v := reflect.ValueOf(b); v.Kind() == reflect.Slice || v.Kind() == reflect.Array {
		cost += v.Len()
	}
	if err := meterOf(args[0]).step(cost); err != nil {
		return nil, err
	}
	return runtime.In(a, b), nil
}

// meteredScan: contains, startsWith and endsWith, as the VM runs them.
func meteredScan(args ...any) (any, error) {
	a, b := derefValue(args[2]), derefValue(args[3])
	if runtime.IsNil(a) || runtime.IsNil(b) {
		return false, nil
	}
	sa, sb := a.(string), b.(string)
	if err := meterOf(args[0]).step(1 + len(sa)/64); err != nil {
		return nil, err
	}
	switch args[1].(string) {
	case "contains":
		return strings.Contains(sa, sb), nil
	case "startsWith":
		return strings.HasPrefix(sa, sb), nil
	}
	return strings.HasSuffix(sa, sb), nil
}

// meteredMatches costs the text's length times the pattern's, the bound
// of Go's regular expression matching.
func meteredMatches(args ...any) (any, error) {
	a, p := derefValue(args[1]), args[2]
	re, ok := p.(*regexp.Regexp)
	if !ok {
		p = derefValue(p)
	}
	if runtime.IsNil(a) || runtime.IsNil(p) {
		return false, nil
	}
	if !ok {
		var err error
		if re, err = regexp.Compile(p.(string)); err != nil {
			return nil, err
		}
	}
	var n int
	switch a := a.(type) {
	case string:
		n = len(a)
	case []byte:
		n = len(a)
	}
	if err := meterOf(args[0]).step(1 + n*(len(re.String())+1)/64); err != nil {
		return nil, err
	}
	if s, ok := a.(string); ok {
		return re.MatchString(s), nil
	}
	return re.Match(a.([]byte)), nil
}

// chargeResult charges a call's result as memory and bounds a string.
func chargeResult(args ...any) (any, error) {
	m := meterOf(args[0])
	if s, ok := args[1].(string); ok && len(s) > MaxValueBytes {
		return nil, errValue
	}
	if err := m.step(1); err != nil {
		return nil, err
	}
	return args[1], m.alloc(textSize(args[1], m.left()))
}

// meteredBuiltin wraps a builtin: its arguments' size is charged as work,
// the size of its result is estimated and checked against the budgets
// before it runs, and the real result is charged as memory.
func meteredBuiltin(f *builtin.Function) func(args ...any) (any, error) {
	return func(args ...any) (any, error) {
		m := meterOf(args[0])
		args = args[1:]
		in := 0
		for i, a := range args {
			args[i] = derefValue(a)
			in += textSize(args[i], m.left())
		}
		if in > m.left() {
			return nil, errMemory
		}
		if err := m.step(1 + in/64); err != nil {
			return nil, err
		}
		if est, exact := estimate(f.Name, args, in); exact && est > MaxValueBytes {
			return nil, errValue
		} else if est > m.left() {
			return nil, errMemory
		}
		out, err := call(f, args)
		if err != nil {
			return nil, err
		}
		if s, ok := out.(string); ok && len(s) > MaxValueBytes {
			return nil, errValue
		}
		return out, m.alloc(textSize(out, m.left()))
	}
}

// estimate bounds the size of a builtin's result from its arguments (in:
// their total size); exact when the result is a string of that size.
func estimate(name string, args []any, in int) (int, bool) {
	switch name {
	case "repeat":
		s, _ := args[0].(string)
		n := runtime.ToInt(args[1])
		if n <= 0 || len(s) == 0 {
			return 0, true
		}
		if n > (MaxEvalBytes+1)/len(s) {
			return MaxEvalBytes + 1, true
		}
		return len(s) * n, true
	case "join":
		glue := ""
		if len(args) > 1 {
			glue, _ = args[1].(string)
		}
		elems := reflect.ValueOf(args[0])
		if elems.Kind() != reflect.Slice {
			return in, false
		}
		return in + elems.Len()*len(glue), true
	case "toJSON":
		// Indented: each element also takes its depth in spaces; escaping
		// makes at most six bytes of one.
		return 6 * indentedSize(args[0], MaxEvalBytes, 2), false
	case "replace":
		s, _ := args[0].(string)
		old, _ := args[1].(string)
		repl, _ := args[2].(string)
		count := strings.Count(s, old)
		return len(s) + count*(len(repl)-len(old)), true
	}
	// Escaping (toJSON) makes at most six bytes of one; other results are
	// no larger than their arguments.
	return 6 * in, false
}

// call runs a builtin the way the VM would.
func call(f *builtin.Function, args []any) (out any, err error) {
	switch {
	case f.Fast != nil && len(args) == 1:
		return f.Fast(args[0]), nil
	case f.Safe != nil:
		out, _, err = f.Safe(args...)
		return out, err
	case f.Func != nil:
		return f.Func(args...)
	}
	return nil, fmt.Errorf("%s: cannot be called", f.Name)
}
