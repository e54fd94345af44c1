package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestLayering keeps imports one way: cmd → everything; simulate → flow;
// graph → flow, simulate; config → flow, schemas; lsp → flow, simulate,
// schemas, config, genesys; report → flow, simulate, genesys; flow never imports genesys, simulate, config,
// lsp or cmd; nothing imports cmd.
func TestLayering(t *testing.T) {
	const mod = "github.com/flowctl/flowctl/"
	forbidden := map[string][]string{
		"flow":     {"cmd", "genesys", "simulate", "serve", "graph", "config", "lsp"},
		"schemas":  {"cmd", "genesys", "simulate", "serve", "flow", "graph", "config", "lsp"},
		"simulate": {"cmd", "genesys", "serve", "graph", "config", "lsp"},
		"genesys":  {"cmd", "simulate", "serve", "graph", "config", "lsp", "genesys/org", "genesys/emulator", "genesys/genesystest"},
		// The org file builds on the client's types; the emulator on both.
		"genesys/org":      {"cmd", "simulate", "serve", "graph", "config", "lsp", "genesys/emulator", "genesys/genesystest"},
		"genesys/emulator": {"cmd", "simulate", "serve", "graph", "config", "lsp", "genesys/genesystest"},
		"serve":            {"cmd", "graph", "lsp"},
		"lsp":              {"cmd", "serve", "graph"},
		"graph":            {"cmd", "genesys", "serve", "config", "lsp"},
		"config":           {"cmd", "genesys", "simulate", "serve", "graph", "lsp"},
		// report renders results: it reads flow, simulate and genesys values.
		"report": {"cmd", "serve", "graph", "config", "lsp", "genesys/org", "genesys/emulator"},
		// internal/suggest is the one edit distance: below everything.
		"internal/suggest": {"cmd", "genesys", "simulate", "serve", "flow", "graph", "schemas", "config", "lsp"},
		"internal/lazyre":  {"cmd", "genesys", "simulate", "serve", "flow", "graph", "schemas", "config", "lsp"},
		// internal/words joins names into phrases: below everything too.
		"internal/words": {"cmd", "genesys", "simulate", "serve", "flow", "graph", "schemas", "config", "lsp", "report", "internal/suggest"},
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

// TestOnlyTestsImport keeps the emulator out of production code other than
// cmd and serve, and the Genesys test helpers out of every production
// package.
func TestOnlyTestsImport(t *testing.T) {
	const mod = "github.com/flowctl/flowctl/"
	allowed := map[string][]string{
		"genesys/emulator":    {"cmd", "serve", "genesys/genesystest"},
		"genesys/genesystest": {},
		"internal/golden":     {},
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := strings.TrimPrefix(fields[0], mod), fields[1:]
		for guarded, ok := range allowed {
			if pkg == guarded || slices.Contains(ok, pkg) {
				continue
			}
			if slices.Contains(imports, mod+guarded) {
				t.Errorf("%s imports %s: only %v and tests may", pkg, guarded, ok)
			}
		}
	}
}
