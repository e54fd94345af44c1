package org

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/schemas"
)

// TestOrgFileHostile: org files get the nesting limit, the size cap and the
// refusal of non-regular files of flow and test files.
func TestOrgFileHostile(t *testing.T) {
	_, err := Parse("o.yaml", []byte("organization: {name: A}\ndivisions: "+strings.Repeat("[", 60_000)))
	var oe *Error
	if !errors.As(err, &oe) || len(oe.Problems) != 1 || oe.Problems[0].Line != 2 || oe.Problems[0].Col != 12+128 ||
		!strings.HasPrefix(oe.Problems[0].Message, "document too complex: nested deeper than 128 levels: flowctl reads org files up to 128 levels deep") {
		t.Errorf("deep nesting: %v", err)
	}
	// An alias bomb is refused at the alias that crosses the bound, with
	// its line and column, as in flow and test files.
	bomb := "organization: {name: A}\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := range 6 {
		name := string(rune('b' + i))
		bomb += name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = name
	}
	_, err = Parse("laughs.org.yaml", []byte(bomb))
	if !errors.As(err, &oe) || len(oe.Problems) != 1 || oe.Problems[0].Line < 2 || !strings.Contains(oe.Problems[0].Message, "aliases") {
		t.Errorf("alias bomb: %v", err)
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(9 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var fe *schemas.FileSizeError
	if _, err := Load(big); !errors.As(err, &fe) || err.Error() != "read org file: file is 9.0 MiB; flowctl reads files up to 8 MiB" {
		t.Errorf("9 MiB org file: %v", err)
	}
	if runtime.GOOS != "windows" {
		if _, err := Load("/dev/zero"); !errors.Is(err, schemas.ErrNotRegular) {
			t.Errorf("/dev/zero: %v", err)
		}
	}
}
