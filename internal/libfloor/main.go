// Command libfloor starts and exits at once, having linked the libraries
// flowctl is built on (cobra, lipgloss, expr, yaml.v3 and net/http, for
// its Genesys client): what starting a process costs them alone, before
// any of flowctl's own packages. Compare flowctl's start-up with it:
//
//	go build -o /tmp/libfloor ./internal/libfloor
//	go run ./internal/procbench -rows version -base /tmp/libfloor
package main

import (
	_ "net/http"

	_ "github.com/charmbracelet/lipgloss"
	_ "github.com/expr-lang/expr"
	_ "github.com/spf13/cobra"
	_ "gopkg.in/yaml.v3"
)

func main() {}
