package cmd

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/schemas"
)

// fileKind is a kind of input file that commands find in directories.
type fileKind struct {
	noun     string   // "flow files"
	suffixes []string // ".flow.yaml", ".flow.yml"
}

var (
	flowFiles = fileKind{noun: "flow files (*.flow.yaml)", suffixes: []string{".flow.yaml", ".flow.yml"}}
	testFiles = fileKind{noun: "test files (*.test.yaml)", suffixes: []string{".test.yaml", ".test.yml"}}
)

// stem is a file's name without the kind's suffix, or without .yaml or
// .yml: "acme" for flows/acme.flow.yaml.
func (k fileKind) stem(path string) string {
	base := filepath.Base(path)
	for _, s := range slices.Concat(k.suffixes, []string{".yaml", ".yml"}) {
		if stem, ok := strings.CutSuffix(base, s); ok {
			return stem
		}
	}
	return base
}

func (k fileKind) match(name string) bool {
	for _, s := range k.suffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// findFiles expands paths: files as given, directories searched recursively
// for files of the kind (hidden directories skipped), the files found under
// each directory sorted. Symlinks are followed, on the command line and
// inside directories; each directory is walked once per path (by its real
// path), so a link to an ancestor is no loop. A file reached twice (named
// twice, by a relative and an absolute path, through a symlink, or by a
// directory and by its own name) is listed once, by the name it was first
// reached by. A missing path or a directory without such files is an
// operational failure (exit 3); when ctx is done the walk stops with its
// error.
func findFiles(ctx context.Context, paths []string, kind fileKind) ([]string, error) {
	var files []string
	seen := map[string]bool{} // real paths of the files listed
	add := func(p, real string) {
		if !seen[real] {
			seen[real] = true
			files = append(files, p)
		}
	}
	for _, root := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st, err := os.Stat(root)
		if err != nil {
			err = schemas.BrokenLink(root, err)
			if errors.Is(err, fs.ErrNotExist) {
				return nil, failuref("%s: %v", root, flow.PathErrorCause(err))
			}
			return nil, failure(err)
		}
		if !st.IsDir() {
			add(root, realPath(root))
			continue
		}
		w := &walker{ctx: ctx, kind: kind, visited: map[string]bool{}}
		if err := w.walk(root, realPath(root)); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, failure(err)
		}
		if len(w.found) == 0 {
			return nil, failuref("%s: no %s in this directory", root, kind.noun)
		}
		slices.SortFunc(w.found, func(a, b foundFile) int { return strings.Compare(a.path, b.path) })
		for _, f := range w.found {
			add(f.path, f.real)
		}
	}
	return files, nil
}

// walker finds the files of a kind under one directory.
type walker struct {
	ctx     context.Context
	kind    fileKind
	visited map[string]bool // real paths of the directories walked
	found   []foundFile
}

// foundFile is a file found by a walk: its path from the walk's root and
// its real path.
type foundFile struct{ path, real string }

// walk searches dir, whose real path (symlinks resolved) is real.
func (w *walker) walk(dir, real string) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if w.visited[real] {
		return nil
	}
	w.visited[real] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		isDir, sub := e.IsDir(), filepath.Join(real, e.Name())
		if e.Type()&fs.ModeSymlink != 0 {
			// A broken link is listed when its name matches: reading it
			// then says what is wrong.
			sub = realPath(path)
			if st, err := os.Stat(path); err == nil && st.IsDir() {
				isDir = true
			}
		}
		switch {
		case isDir && strings.HasPrefix(e.Name(), "."):
		case isDir:
			if err := w.walk(path, sub); err != nil {
				return err
			}
		case w.kind.match(e.Name()):
			w.found = append(w.found, foundFile{path: path, real: sub})
		}
	}
	return nil
}

// realPath is path made absolute with its symlinks resolved, or as far as
// that succeeds: what tells two names of one file apart.
func realPath(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		path = r
	}
	if a, err := filepath.Abs(path); err == nil {
		path = a
	}
	return path
}
