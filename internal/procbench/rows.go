package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/flowctl/flowctl/internal/flowgen"
)

// row is one line of the table: a flowctl command and its floor, on inputs
// generated into the work directory.
type row struct {
	name    string
	what    string // what the row measures, for the table
	target  string // the target, in words
	prepare func(dir string) error
	// args are flowctl's arguments, floorArgs yamlfloor's; exit is the
	// exit status flowctl must end with.
	args, floorArgs func(dir string) []string
	exit            int
}

var queues = []string{"Billing Support", "Support EN"}

// defaultRows are measured unless -rows says otherwise; the others are
// there to show that memory stays flat in the number of files, and what a
// very large file costs.
var defaultRows = []string{"version", "one", "10k", "dir1000", "explore"}

var rows = []row{
	{
		name: "version", what: "`flowctl version` (floor: a Go process that links yaml.v3 and exits)",
		target:    "≤ 15 ms",
		prepare:   func(string) error { return nil },
		args:      func(string) []string { return []string{"version"} },
		floorArgs: func(string) []string { return nil },
	},
	{
		name: "one", what: "`validate` of a one-block flow",
		target: "≤ 2× the floor",
		prepare: writeFile("one.flow.yaml", func() []byte {
			return []byte("version: 1\nname: one\nflows:\n  main:\n    start: bye\n    blocks:\n      - { id: bye, type: end, text: \"Goodbye!\" }\n")
		}),
		args:      validate("one.flow.yaml"),
		floorArgs: inDir("one.flow.yaml"),
	},
	{
		name: "10k", what: "`validate` of one 10,000-block flow (1.6 MB; most blocks with expressions of their own)",
		target:    "≤ 1.5× the floor, peak memory ≤ 2× the floor's",
		prepare:   writeFile("10k.flow.yaml", func() []byte { return flowgen.Flow(10_000, queues) }),
		args:      validate("10k.flow.yaml"),
		floorArgs: inDir("10k.flow.yaml"),
	},
	{
		name: "30k", what: "`validate` of one 30,000-block flow (5.2 MB, 440,000 YAML nodes: near the 500,000 bound; most blocks with expressions of their own)",
		target:    "no target: memory follows the file",
		prepare:   writeFile("30k.flow.yaml", func() []byte { return flowgen.Flow(30_000, queues) }),
		args:      validate("30k.flow.yaml"),
		floorArgs: inDir("30k.flow.yaml"),
	},
	dirRow(250),
	dirRow(1000),
	dirRow(4000),
	{
		name: "explore", what: "`simulate --explore` of a flow whose memory grows along the path: 4,000 pairs of a wait and a `set` of a new key",
		target:  "< 2 s, < 200 MB",
		prepare: writeFile("growing.flow.yaml", func() []byte { return flowgen.Growing(4000) }),
		args: func(dir string) []string {
			return []string{"simulate", "--explore", filepath.Join(dir, "growing.flow.yaml")}
		},
		floorArgs: inDir("growing.flow.yaml"),
	},
}

// dirRow validates a directory of n files of 100 blocks, each with
// expressions of its own.
func dirRow(n int) row {
	sub := fmt.Sprintf("dir%d", n)
	return row{
		name: sub, what: fmt.Sprintf("`validate` of a directory of %d flows of 100 blocks, each with expressions of its own (floor: one goroutine)", n),
		target: "≤ 1.0× the floor, CPU ≤ 2× the floor's, peak memory ≤ 150 MB",
		prepare: func(dir string) error {
			d := filepath.Join(dir, sub)
			if _, err := os.Stat(d); err == nil {
				return nil
			}
			if err := os.Mkdir(d, 0o755); err != nil {
				return err
			}
			for i := range n {
				src := flowgen.Variant(100, queues, i*1000)
				if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("f%05d.flow.yaml", i)), src, 0o644); err != nil {
					return err
				}
			}
			return nil
		},
		args:      validate(sub),
		floorArgs: inDir(sub),
	}
}

// writeFile prepares a row by writing what src makes (when the row is
// measured, not before) to name.
func writeFile(name string, src func() []byte) func(string) error {
	return func(dir string) error { return os.WriteFile(filepath.Join(dir, name), src(), 0o644) }
}

func validate(name string) func(string) []string {
	return func(dir string) []string { return []string{"validate", "--offline", filepath.Join(dir, name)} }
}

func inDir(name string) func(string) []string {
	return func(dir string) []string { return []string{filepath.Join(dir, name)} }
}

func findRow(name string) (row, bool) {
	for _, r := range rows {
		if r.name == name {
			return r, true
		}
	}
	return row{}, false
}

func rowNames() []string {
	var names []string
	for _, r := range rows {
		names = append(names, r.name)
	}
	return names
}
