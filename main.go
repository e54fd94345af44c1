// Command flowctl validates, simulates, tests and serves chatbot flows that
// hand web chats over to Genesys Cloud queues.
package main

import (
	"os"

	"github.com/flowctl/flowctl/cmd"
)

func main() {
	os.Exit(cmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
