package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/internal/golden"
)

// TestTranscripts runs each testdata/transcripts/*.txt through flowctl
// simulate twice: piped (plain) and as a REPL on a forced terminal (prompt,
// colour), and compares with the .piped.golden and .repl.golden files. The
// first line of a .txt is "# flowctl simulate ARGS"; the rest is the input.
// go test ./cmd -run TestTranscripts -update rewrites the goldens.
func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob("testdata/transcripts/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		header, input, _ := strings.Cut(string(src), "\n")
		args, ok := strings.CutPrefix(header, "# flowctl ")
		if !ok {
			t.Fatalf("%s: first line must be # flowctl simulate ARGS", file)
		}
		for _, mode := range []string{"piped", "repl"} {
			t.Run(filepath.Base(file)+"/"+mode, func(t *testing.T) {
				f, s := newTestFactory(nil)
				s.In.WriteString(input)
				if mode == "repl" {
					s.SetStdinTTY(true)
					s.SetStdoutTTY(true)
				}
				code := run(f, strings.Fields(args))
				got := s.Out.String() + "--- stderr ---\n" + s.ErrOut.String() + "--- exit " + string(rune('0'+code)) + " ---\n"
				golden.Check(t, strings.TrimSuffix(file, ".txt")+"."+mode+".golden", got)
			})
		}
	}
}
