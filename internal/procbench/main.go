// Command procbench measures flowctl as a user runs it: whole processes,
// cold, each against its floor in the same run. It builds flowctl and the
// floor (internal/yamlfloor: read the same files and decode them into a
// yaml.Node, one after the other), generates the inputs, runs the commands
// of each row interleaved (floor, flowctl, floor, ...) and prints, per row,
// the medians of wall time, CPU time (user + system) and peak RSS, and the
// ratios of flowctl's medians to the floor's. The README's benchmark table
// comes from it. Run it from the module root:
//
//	go run ./internal/procbench                # every row, 7 runs each
//	go run ./internal/procbench -rows 10k,dir -runs 11
//	go run ./internal/procbench -base /tmp/flowctl-old   # a third column: another build
//	go run ./internal/procbench -callgrind     # also instructions, counted once by valgrind
//
// Other load on the machine inflates wall times: CPU times and instruction
// counts are steadier, and interleaving keeps the ratios fair.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == launchFlag {
		if err := launch(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "procbench launcher:", err)
			os.Exit(1)
		}
		return
	}
	runs := flag.Int("runs", 7, "measured runs of each command (after one warm-up run)")
	rows := flag.String("rows", strings.Join(defaultRows, ","), "rows to measure, comma-separated, of "+strings.Join(rowNames(), ", "))
	base := flag.String("base", "", "another flowctl binary, measured as a third column")
	bin := flag.String("flowctl", "", "measure this flowctl binary instead of building one")
	callgrind := flag.Bool("callgrind", false, "also count instructions with valgrind --tool=callgrind (one run each)")
	keep := flag.Bool("keep", false, "keep the work directory (binaries and inputs) and print its path")
	flag.Parse()
	if err := run(options{runs: *runs, rows: strings.Split(*rows, ","), base: *base, flowctl: *bin, callgrind: *callgrind, keep: *keep}); err != nil {
		fmt.Fprintln(os.Stderr, "procbench:", err)
		os.Exit(1)
	}
}

type options struct {
	runs      int
	rows      []string
	base      string // another flowctl, or ""
	flowctl   string // a prebuilt flowctl, or "" to build one
	callgrind bool
	keep      bool
}

func run(o options) error {
	if _, err := os.Stat("go.mod"); err != nil {
		return fmt.Errorf("run me from the module root (go run ./internal/procbench): %w", err)
	}
	if o.runs < 1 {
		return fmt.Errorf("-runs must be at least 1")
	}
	var selected []row
	for _, name := range o.rows {
		r, ok := findRow(name)
		if !ok {
			return fmt.Errorf("no row %q (have %s)", name, strings.Join(rowNames(), ", "))
		}
		selected = append(selected, r)
	}
	dir, err := os.MkdirTemp("", "procbench")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(os.Stderr, "work directory:", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	floor := filepath.Join(dir, "yamlfloor")
	tools := map[string]string{"floor": floor, "flowctl": o.flowctl, "base": o.base}
	if err := build(floor, "./internal/yamlfloor"); err != nil {
		return err
	}
	if tools["flowctl"] == "" {
		tools["flowctl"] = filepath.Join(dir, "flowctl")
		if err := build(tools["flowctl"], "."); err != nil {
			return err
		}
	}
	for _, tool := range []string{"flowctl", "base"} {
		if p := tools[tool]; p != "" {
			if tools[tool], err = filepath.Abs(p); err != nil {
				return err
			}
		}
	}
	env := benchEnv()
	var results []result
	for _, r := range selected {
		fmt.Fprintf(os.Stderr, "%s: preparing\n", r.name)
		if err := r.prepare(dir); err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		cmds := []command{
			{tool: "floor", path: floor, args: r.floorArgs(dir), exit: 0},
			{tool: "flowctl", path: tools["flowctl"], args: r.args(dir), exit: r.exit},
		}
		if tools["base"] != "" {
			cmds = append(cmds, command{tool: "base", path: tools["base"], args: r.args(dir), exit: r.exit})
		}
		res, err := measure(r, cmds, dir, env, o)
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		results = append(results, res)
	}
	printTable(os.Stdout, results, o)
	return nil
}

// build compiles a main package of the module into out.
func build(out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	return nil
}

// benchEnv is the environment every measured command gets: this one
// without Genesys credentials (no queue check goes online) and without Go
// runtime settings, unless procbench itself was given GOGC or GOMEMLIMIT
// (then both commands get them).
func benchEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GENESYSCLOUD_") || strings.HasPrefix(kv, "GODEBUG=") {
			continue
		}
		env = append(env, kv)
	}
	return slices.Clip(env)
}
