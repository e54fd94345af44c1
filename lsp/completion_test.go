package lsp

import (
	"fmt"
	"testing"
)

// TestLimit: long candidate lists are cut to what was typed, then to
// maxItems and marked incomplete.
func TestLimit(t *testing.T) {
	var cands []candidate
	for i := range 1000 {
		cands = append(cands, candidate{label: fmt.Sprintf("b%d", i)})
	}
	if got, inc := limit(cands[:maxItems], ""); len(got) != maxItems || inc {
		t.Errorf("short list: %d items, incomplete %v", len(got), inc)
	}
	if got, inc := limit(cands, ""); len(got) != maxItems || !inc {
		t.Errorf("long list: %d items, incomplete %v", len(got), inc)
	}
	got, inc := limit(cands, "B99")
	if len(got) != 11 || inc || got[0].label != "b99" || got[10].label != "b999" {
		t.Errorf("typed b99: %d items (%v), incomplete %v", len(got), got, inc)
	}
}
