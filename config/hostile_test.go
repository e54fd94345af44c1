package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

// TestParseHostile: a config file too deep or too alias-heavy to read is
// refused by the shared reader's bounds, with one finding where the
// document goes too far, never a hang.
func TestParseHostile(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		bomb += n + ": &" + n + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+", ", 9), ", ") + "]\n"
		prev = n
	}
	var deep strings.Builder
	deep.WriteString("tests:\n")
	for i := 1; i <= 300; i++ {
		deep.WriteString(strings.Repeat("  ", i) + "k:\n")
	}
	const limits = ": flowctl reads config files up to 128 levels deep, of 500000 nodes at most, 100000 of them reached through aliases [schema]"
	tests := []struct {
		name, src, want string
	}{
		{"brackets", "strict: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n", "1:137: error: document too complex: nested deeper than 128 levels" + limits},
		{"mappings", deep.String(), "129:257: error: document too complex: nested deeper than 128 levels" + limits},
		{"nodes", "tests: [" + strings.Repeat("a,", 500_001) + "a]\n", "1:1000001: error: document too complex: more than 500000 nodes" + limits},
		{"alias bomb", bomb, "1:17: error: document too complex: aliases expand to more than 100000 nodes" + limits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, fs := Parse(FileName, []byte(tt.src))
			if len(fs) != 1 || strings.TrimPrefix(fs[0].String(), FileName+":") != tt.want {
				t.Errorf("got %v\nwant %s", fs, tt.want)
			}
		})
	}
}

// TestLoadTooLarge: a config file over the limit is one file-size finding,
// whether the shared reader refuses it unread (over 8 MiB) or it is read.
func TestLoadTooLarge(t *testing.T) {
	for _, size := range []int64{9 << 20, 2 << 20} {
		p := filepath.Join(t.TempDir(), FileName)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil { // sparse: large without writing
			t.Fatal(err)
		}
		f.Close()
		c, fs, err := Load(p)
		if err != nil || len(fs) != 1 || fs[0].Rule != flow.RuleFileSize || fs[0].String() != p+":1:1: error: a config file is limited to 1024 KiB [file-size]" {
			t.Fatalf("%d bytes: got %v, %v", size, fs, err)
		}
		if c.File != p || c.Source != nil {
			t.Errorf("%d bytes: config %+v", size, c)
		}
	}
}
