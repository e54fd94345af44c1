// Package cmd holds flowctl's cobra commands (one file each), the mapping of
// errors to exit codes, and terminal and colour handling. What a command
// found is rendered by package report.
//
// cmd imports everything else; nothing imports cmd. Main never calls os.Exit
// (but for a second Ctrl-C, see signalContext), so tests and testscript run
// it in-process. A panic in a command is an internal error: exit 3.
package cmd
