package cmd

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
// for files of the kind (hidden directories skipped), each directory's
// files sorted; a file named twice is listed once, as first named, also
// when the names differ but clean to the same path (./d/x.flow.yaml and d). A missing path or a
// directory without such files is an operational failure (exit 3).
func findFiles(paths []string, kind fileKind) ([]string, error) {
	var files []string
	seen := map[string]bool{}
	add := func(p string) {
		if k := filepath.Clean(p); !seen[k] {
			seen[k] = true
			files = append(files, p)
		}
	}
	for _, root := range paths {
		st, err := os.Stat(root)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, failuref("%s: no such file or directory", root)
			}
			return nil, failure(err)
		}
		if !st.IsDir() {
			add(root)
			continue
		}
		var found []string
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != root && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if kind.match(d.Name()) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, failure(err)
		}
		if len(found) == 0 {
			return nil, failuref("%s: no %s in this directory", root, kind.noun)
		}
		slices.Sort(found)
		for _, p := range found {
			add(p)
		}
	}
	return files, nil
}
