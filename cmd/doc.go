// Package cmd holds flowctl's cobra commands (one file each), the mapping of
// errors to exit codes, terminal and colour handling, and the output formats.
//
// cmd imports everything else; nothing imports cmd. Main never calls os.Exit
// (but for a second Ctrl-C, see signalContext), so tests and testscript run
// it in-process. A panic in a command is an internal error: exit 3.
package cmd
