package flow

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestCheckedExpressionsCompile: an expression is only parsed and
// type-checked when its file is loaded, and compiled when it first runs;
// every expression of the project's flows that passes the check compiles
// (so validate, which never compiles, reports what compiling would), and
// the program is compiled once.
func TestCheckedExpressionsCompile(t *testing.T) {
	n := 0
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != ".." {
			return filepath.SkipDir
		}
		files := map[string][]byte{}
		switch {
		case strings.HasSuffix(p, ".flow.yaml"):
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files[p] = b
		case strings.HasSuffix(p, ".txtar"):
			a, err := txtar.ParseFile(p)
			if err != nil {
				return err
			}
			for _, f := range a.Files {
				if strings.HasSuffix(f.Name, ".flow.yaml") {
					files[p+":"+f.Name] = f.Data
				}
			}
		}
		for name, src := range files {
			proj := Parse(name, src)
			for _, f := range proj.Flows {
				for _, b := range f.Blocks {
					exprs := b.exprs()
					for _, tp := range b.templates() {
						exprs = append(exprs, tp.Exprs()...)
					}
					for _, e := range exprs {
						if e.Err() != nil {
							continue
						}
						n++
						p1, err := e.info.compile()
						if err != nil || p1 == nil {
							t.Errorf("%s: %q passed the check but does not compile: %v", name, e.Source, err)
							continue
						}
						if p2, _ := e.info.compile(); p2 != p1 {
							t.Errorf("%s: %q compiled twice", name, e.Source)
						}
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("only %d expressions", n)
	}
}

// TestCheckedCacheBounded: the shared cache of checked expressions never
// holds more than maxChecked entries, however many distinct expressions a
// run reads.
func TestCheckedCacheBounded(t *testing.T) {
	for i := range maxChecked + 100 {
		check("memory.x + "+strconv.Itoa(i), false)
		checked.Lock()
		size := len(checked.m)
		checked.Unlock()
		if size > maxChecked {
			t.Fatalf("%d entries after %d expressions", size, i+1)
		}
	}
	a, b := check("memory.x + 1", false), check("memory.x + 1", false)
	if a != b {
		t.Error("identical expressions checked twice")
	}
}
