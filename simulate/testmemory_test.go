package simulate

import (
	"math"
	"testing"
)

// TestSameValue: memory steps compare numbers by their exact value,
// whatever their Go type, in lists and maps too.
func TestSameValue(t *testing.T) {
	tests := []struct {
		want, got any
		same      bool
	}{
		{42, 42.0, true},
		{int64(42), 42, true},
		{uint64(42), 42.0, true},
		{float32(0.5), 0.5, true},
		{"42", 42, false},
		{9007199254740992, 9007199254740993, false},
		{uint64(math.MaxUint64), uint64(math.MaxUint64), true},
		{uint64(math.MaxUint64), math.MaxInt64, false},
		{math.Inf(1), math.Inf(1), true},
		{math.Inf(1), math.MaxInt64, false},
		{math.NaN(), math.NaN(), false},
		{0.1, 0.1, true},
		{[]any{1, "a"}, []any{1.0, "a"}, true},
		{[]any{1, "a"}, []any{1.0}, false},
		{map[string]any{"k": []any{2}}, map[string]any{"k": []any{2.0}}, true},
		{map[string]any{"k": 1}, map[string]any{"j": 1}, false},
		{map[string]any{"k": 9007199254740993}, map[string]any{"k": 9007199254740992}, false},
		{nil, nil, true},
		{nil, 0, false},
		{true, 1, false},
	}
	for _, tt := range tests {
		if got := sameValue(tt.want, tt.got); got != tt.same {
			t.Errorf("sameValue(%#v, %#v) = %v, want %v", tt.want, tt.got, got, tt.same)
		}
	}
}
