package cmd

import (
	"os"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

// TestREADME keeps the README honest: every rule and every command is
// documented, and so is every exit code.
func TestREADME(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, r := range flow.Rules {
		if !strings.Contains(readme, "| `"+r.ID+"` |") {
			t.Errorf("README's rule table lacks %s", r.ID)
		}
	}
	for _, c := range newRootCmd(&Factory{IO: &IOStreams{}}).Commands() {
		if c.Hidden || c.Name() == "help" {
			continue
		}
		if !strings.Contains(readme, "flowctl "+c.Name()) {
			t.Errorf("README does not document flowctl %s", c.Name())
		}
	}
	for _, code := range []string{"| 0 |", "| 1 |", "| 2 |", "| 3 |"} {
		if !strings.Contains(readme, code) {
			t.Errorf("README's exit code table lacks %s", code)
		}
	}
}
