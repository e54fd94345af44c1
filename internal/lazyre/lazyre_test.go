package lazyre

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestLazy(t *testing.T) {
	r := New(`^a(b+)$`)
	if r.re != nil {
		t.Fatal("compiled before first use")
	}
	if !r.MatchString("abb") || r.MatchString("ac") {
		t.Error("MatchString")
	}
	if got := r.FindStringSubmatch("abbb"); len(got) != 2 || got[1] != "bbb" {
		t.Errorf("FindStringSubmatch: %q", got)
	}
	if got := r.FindStringSubmatchIndex("ab"); len(got) != 4 || got[2] != 1 {
		t.Errorf("FindStringSubmatchIndex: %v", got)
	}
	if got := New(`b`).FindAllString("abcb", -1); len(got) != 2 {
		t.Errorf("FindAllString: %q", got)
	}
	if got := New(`b+`).FindStringIndex("abbc"); len(got) != 2 || got[0] != 1 || got[1] != 3 {
		t.Errorf("FindStringIndex: %v", got)
	}
	if got := New(`b+`).FindString("abbc"); got != "bb" {
		t.Errorf("FindString: %q", got)
	}
	if got := New(`b`).ReplaceAllString("abcb", "x"); got != "axcx" {
		t.Errorf("ReplaceAllString: %q", got)
	}
	if r.String() != `^a(b+)$` {
		t.Errorf("String: %q", r.String())
	}
	defer func() {
		if recover() == nil {
			t.Error("a bad pattern did not panic on first use")
		}
	}()
	New(`(`).MatchString("x")
}

// newCall finds New's literal arguments in Go source.
var newCall = regexp.MustCompile("lazyre\\.New\\((`[^`]*`|\"(?:[^\"\\\\]|\\\\.)*\")\\)")

// TestPatternsCompile: every pattern the module gives New compiles, as
// regexp.MustCompile at start-up made sure.
func TestPatternsCompile(t *testing.T) {
	found := 0
	err := filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != "../.." {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "lazyre_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range newCall.FindAllStringSubmatch(string(src), -1) {
			pat, err := strconv.Unquote(m[1])
			if err != nil {
				t.Errorf("%s: %s: %v", p, m[1], err)
				continue
			}
			if _, err := regexp.Compile(pat); err != nil {
				t.Errorf("%s: %v", p, err)
			}
			found++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 20 {
		t.Errorf("only %d patterns found", found)
	}
}

// eagerPattern is a package-level regexp.MustCompile (a var at the start of
// a line or in a var block).
var eagerPattern = regexp.MustCompile(`(?m)^(?:var )?\t?[A-Za-z_][A-Za-z0-9_]*\s*=\s*regexp\.MustCompile\(`)

// TestNoEagerPatterns: the flowctl binary's packages compile no pattern at
// start-up; they give it to New. Tests and the measuring tools may.
func TestNoEagerPatterns(t *testing.T) {
	err := filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != "../.." || d.Name() == "testdata" ||
			p == filepath.Join("..", "..", "internal", "procbench") || p == filepath.Join("..", "..", "internal", "yamlfloor")) {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || strings.HasSuffix(p, "lazyre.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if loc := eagerPattern.FindIndex(src); loc != nil {
			line := 1 + strings.Count(string(src[:loc[0]]), "\n")
			t.Errorf("%s:%d: a package-level regexp.MustCompile: use lazyre.New", p, line)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
