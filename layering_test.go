package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestLayering keeps imports one way: cmd → everything; simulate → flow;
// graph → flow, simulate; config → flow, schemas; lsp → flow, simulate,
// schemas, config, genesys; flow never imports genesys, simulate, config,
// lsp or cmd; nothing imports cmd.
func TestLayering(t *testing.T) {
	const mod = "github.com/flowctl/flowctl/"
	forbidden := map[string][]string{
		"flow":     {"cmd", "genesys", "simulate", "serve", "graph", "config", "lsp"},
		"schemas":  {"cmd", "genesys", "simulate", "serve", "flow", "graph", "config", "lsp"},
		"simulate": {"cmd", "genesys", "serve", "graph", "config", "lsp"},
		"genesys":  {"cmd", "simulate", "serve", "graph", "config", "lsp"},
		"serve":    {"cmd", "lsp"},
		"lsp":      {"cmd", "serve", "graph"},
		"graph":    {"cmd", "genesys", "serve", "config", "lsp"},
		"config":   {"cmd", "genesys", "simulate", "serve", "graph", "lsp"},
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
