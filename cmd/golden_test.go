package cmd

import (
	"testing"

	"github.com/flowctl/flowctl/internal/golden"
)

// checkGolden compares got with the golden file at path (relative to cmd/),
// or rewrites the file with -update (go test ./cmd -update rewrites every
// golden file of the package: testdata/golden, testdata/transcripts).
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	golden.Check(t, path, got)
}
