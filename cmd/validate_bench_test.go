package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/flowctl/flowctl/internal/flowgen"
)

// BenchmarkValidateDir1000: `flowctl validate dir/` over 1,000 flow files
// of 100 blocks each (target: well under 2 s on 2 cores).
func BenchmarkValidateDir1000(b *testing.B) {
	dir := b.TempDir()
	for i := range 1000 {
		// Each file has expressions of its own: the run measures compiling
		// them, not the shared expression cache.
		src := flowgen.Variant(100, []string{"Billing Support", "Support EN"}, i*1000)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%04d.flow.yaml", i)), src, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		out, errOut, code := execFlowctl(b, nil, false, "validate", "--format", "json", dir)
		if code != ExitOK {
			b.Fatalf("exit %d: %s %.200s", code, errOut, out)
		}
	}
}
