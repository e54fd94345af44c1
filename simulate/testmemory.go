package simulate

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
)

// normalize makes a value from a test file or from the bot's memory
// comparable: every integer becomes an int (a uint64 beyond int64 stays),
// a float32 a float64, in lists and maps too. Integers stay exact.
func normalize(v any) any {
	switch x := v.(type) {
	case int64:
		return int(x)
	case uint64:
		if x <= math.MaxInt64 {
			return int(x)
		}
		return x
	case float32:
		return float64(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	}
	return v
}

// sameValue reports whether a memory value equals what a memory step
// wants: same type and value, numbers compared as numbers, exactly (42 is
// 42.0, "42" is not, 9007199254740993 is not 9007199254740992).
func sameValue(want, got any) bool {
	want, got = normalize(want), normalize(got)
	if a, ok := exactNumber(want); ok {
		b, ok := exactNumber(got)
		return ok && a.Cmp(b) == 0
	}
	switch w := want.(type) {
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !sameValue(w[i], g[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k, e := range w {
			ge, ok := g[k]
			if !ok || !sameValue(e, ge) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(want, got)
}

// exactNumber is a finite number's exact value (after normalize).
func exactNumber(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case int:
		return new(big.Rat).SetInt64(int64(x)), true
	case uint64:
		return new(big.Rat).SetUint64(x), true
	case float64:
		r := new(big.Rat).SetFloat64(x) // nil when not finite
		return r, r != nil
	}
	return nil, false
}

// showValue renders a memory value for messages: JSON (strings quoted,
// numbers bare, maps and lists as JSON).
func showValue(v any) string {
	b, err := json.Marshal(normalize(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
