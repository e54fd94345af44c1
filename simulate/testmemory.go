package simulate

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// normalize makes a value from a test file or from the bot's memory
// comparable: every number becomes a float64, in lists and maps too.
func normalize(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
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
// wants: same type and value, numbers compared as numbers (42 is 42.0,
// "42" is not).
func sameValue(want, got any) bool {
	return reflect.DeepEqual(normalize(want), normalize(got))
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
