package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering keeps imports one way: cmd → everything; simulate → flow;
// flow never imports genesys, simulate or cmd; nothing imports cmd.
func TestLayering(t *testing.T) {
	const mod = "github.com/flowctl/flowctl/"
	forbidden := map[string][]string{
		"flow":     {"cmd", "genesys", "simulate", "serve"},
		"schemas":  {"cmd", "genesys", "simulate", "serve", "flow"},
		"simulate": {"cmd", "genesys", "serve"},
		"genesys":  {"cmd", "simulate", "serve"},
		"serve":    {"cmd"},
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-deps", "./"+pkg).CombinedOutput()
		if err != nil {
			if strings.Contains(string(out), "matched no packages") || strings.Contains(string(out), "no Go files") || strings.Contains(string(out), "directory not found") {
				continue // a package that does not exist yet
			}
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		deps := strings.Fields(string(out))
		for _, d := range deps {
			for _, b := range bad {
				if d == mod+b || strings.HasPrefix(d, mod+b+"/") {
					t.Errorf("%s imports %s", pkg, d)
				}
			}
		}
	}
}
