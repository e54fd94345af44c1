package flow

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// Bounds of one expression evaluation at run time. A flow's expressions
// run on every turn of every chat; a hostile one (repeat of a repeat, a
// reduce that doubles a string) would otherwise take the process down.
// Sizes are checked before the allocation they bound.
const (
	// MaxEvalSteps bounds the work of one evaluation: a loop iteration
	// (map, filter, reduce, ...) costs one step per node of its body, a
	// string operation one step per 64 bytes it reads, a list search one
	// step per element.
	MaxEvalSteps = 1_000_000
	// MaxEvalBytes bounds the strings and lists one evaluation builds.
	MaxEvalBytes = 16 << 20
	// MaxValueBytes bounds one string built, an expression's result (as
	// text) and the text a template's interpolations add.
	MaxValueBytes = 64 << 10
	// MaxEvalElements is expr-lang's own budget: elements of the ranges,
	// lists and maps one evaluation makes.
	MaxEvalElements = 1_000_000
)

// BudgetError is an evaluation stopped at one of its bounds.
type BudgetError struct {
	Bound string // what was exceeded: "1000000 evaluation steps", ...
}

func (e *BudgetError) Error() string { return "expression exceeded " + e.Bound }

var (
	errSteps    = &BudgetError{Bound: fmt.Sprintf("%d evaluation steps", MaxEvalSteps)}
	errMemory   = &BudgetError{Bound: fmt.Sprintf("%d MiB of memory", MaxEvalBytes>>20)}
	errValue    = &BudgetError{Bound: fmt.Sprintf("the %d KiB limit of one value", MaxValueBytes>>10)}
	errElements = &BudgetError{Bound: fmt.Sprintf("%d list elements", MaxEvalElements)}
)

// meter counts one evaluation's work and allocation.
type meter struct {
	steps, bytes int
}

func (m *meter) step(n int) error {
	if m.steps += n; m.steps > MaxEvalSteps || n < 0 {
		return errSteps
	}
	return nil
}

func (m *meter) alloc(n int) error {
	if m.bytes += n; m.bytes > MaxEvalBytes || n < 0 {
		return errMemory
	}
	return nil
}

// left is the allocation still allowed.
func (m *meter) left() int { return max(0, MaxEvalBytes-m.bytes) }

// run evaluates a compiled program with a fresh meter. The result must
// fit in MaxValueBytes as text.
func run(program *vm.Program, env *Env) (any, error) {
	// The caller's Env may be shared; the meter is this run's. One
	// allocation for both.
	r := &struct {
		env Env
		m   meter
	}{env: *env}
	r.env.meter = &r.m
	machine := vm.VM{MemoryBudget: MaxEvalElements}
	v, err := machine.Run(program, &r.env)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) && fe.Message == "memory budget exceeded" {
			fe.Message, fe.Prev = errElements.Error(), errElements // said as the other bounds are
		}
		return nil, err
	}
	if textSize(v, MaxValueBytes) > MaxValueBytes {
		return nil, errValue
	}
	return v, nil
}

// textSize estimates the size of v as text (strings by length, numbers and
// others at 8, two more per element), walking at most until it passes
// limit: values can share parts, so their text can be exponentially larger
// than their memory. The result is at most limit+1.
func textSize(v any, limit int) int { return indentedSize(v, limit, 0) }

// indentedSize is textSize with indent bytes more per level of nesting for
// every element, as in indented JSON, whose size grows with the square of
// the depth.
func indentedSize(v any, limit, indent int) int {
	type item struct {
		v     any
		depth int
	}
	n := 0
	stack := []item{{v, 0}}
	push := func(d int, vs ...any) {
		for _, v := range vs {
			stack = append(stack, item{v, d})
		}
	}
	for len(stack) > 0 && n <= limit {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n += indent * it.depth
		d := it.depth + 1
		switch x := it.v.(type) {
		case nil:
			n++
		case string:
			n += len(x)
		case []byte:
			n += len(x)
		case bool, int, int64, float64:
			n += 8
		case []any:
			if n += 2 * len(x); n <= limit {
				push(d, x...)
			}
		case map[string]any:
			for k, e := range x {
				n += len(k) + 2
				push(d, e)
				if n > limit {
					break
				}
			}
		case []int:
			n += (10 + indent*d) * len(x)
		case []float64:
			n += (10 + indent*d) * len(x)
		case []string:
			for _, s := range x {
				n += len(s) + 2 + indent*d
			}
		default:
			r := reflect.ValueOf(x)
			switch r.Kind() {
			case reflect.String:
				n += r.Len()
			case reflect.Slice, reflect.Array, reflect.Map:
				if n += 2 * r.Len(); n > limit {
					break
				}
				if r.Kind() == reflect.Map {
					for it := r.MapRange(); it.Next(); {
						push(d, it.Key().Interface(), it.Value().Interface())
					}
				} else {
					for i := range r.Len() {
						push(d, r.Index(i).Interface())
					}
				}
			case reflect.Pointer, reflect.Interface:
				n++
				if !r.IsNil() {
					push(it.depth, r.Elem().Interface())
				}
			default:
				n += 16
			}
		}
	}
	return min(n, limit+1)
}
