// Command yamlfloor is the floor that flowctl validate is measured against
// (see internal/procbench): it reads each flow file named, or found under a
// directory (*.flow.yaml, sorted), and decodes it into a yaml.Node with
// yaml.v3, one file after the other on one goroutine, and does nothing
// else. With no arguments it only starts and exits: the floor of a Go
// process that links yaml.v3.
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

func main() {
	var files []string
	for _, arg := range os.Args[1:] {
		st, err := os.Stat(arg)
		if err != nil {
			fail(err)
		}
		if !st.IsDir() {
			files = append(files, arg)
			continue
		}
		// WalkDir visits a directory's entries in lexical order.
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".flow.yaml") {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			fail(err)
		}
	}
	nodes := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			fail(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			fail(fmt.Errorf("%s: %w", f, err))
		}
		nodes += len(doc.Content)
	}
	if nodes != len(files) {
		fail(fmt.Errorf("%d documents in %d files", nodes, len(files)))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "yamlfloor:", err)
	os.Exit(1)
}
