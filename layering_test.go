package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestLayering keeps imports one way: cmd → everything; simulate → flow;
// graph → flow, simulate; flow never imports genesys, simulate or cmd;
// nothing imports cmd.
func TestLayering(t *testing.T) {
	const mod = "github.com/flowctl/flowctl/"
	forbidden := map[string][]string{
		"flow":     {"cmd", "genesys", "simulate", "serve", "graph"},
		"schemas":  {"cmd", "genesys", "simulate", "serve", "flow", "graph"},
		"simulate": {"cmd", "genesys", "serve", "graph"},
		"genesys":  {"cmd", "simulate", "serve", "graph"},
		"serve":    {"cmd"},
		"graph":    {"cmd", "genesys", "serve"},
		// internal/suggest is the one edit distance: below everything.
		"internal/suggest": {"cmd", "genesys", "simulate", "serve", "flow", "graph", "schemas"},
	}
	for pkg, bad := range forbidden {
		// A package that is missing (moved, renamed) fails: its rule would
		// otherwise pass without checking anything.
		out, err := exec.Command("go", "list", "-deps", "./"+pkg).Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Errorf("go list ./%s: %v\n%s", pkg, err, stderr)
			continue
		}
		deps := strings.Fields(string(out))
		if !slices.Contains(deps, mod+pkg) {
			t.Errorf("go list -deps ./%s does not list %s itself: %q", pkg, mod+pkg, deps)
		}
		for _, d := range deps {
			for _, b := range bad {
				if d == mod+b || strings.HasPrefix(d, mod+b+"/") {
					t.Errorf("%s imports %s", pkg, d)
				}
			}
		}
	}
}
