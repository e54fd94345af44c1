package flow

import "testing"

// TestParallelPanics: a panic in one of parallel's calls reaches the
// caller, where validate's recover turns it into an internal error.
func TestParallelPanics(t *testing.T) {
	defer func() {
		if v := recover(); v != "boom" {
			t.Errorf("recovered %v, want boom", v)
		}
	}()
	parallel(10, func(i int) {
		if i == 7 {
			panic("boom")
		}
	})
	t.Error("no panic")
}
