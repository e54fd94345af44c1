package cmd

import (
	"errors"
	"fmt"
	"strings"
)

// Exit codes (spec §7). They are mapped from errors in one place: exitCode.
const (
	ExitOK       = 0 // success
	ExitFindings = 1 // invalid flows, failed tests, an unreachable queue
	ExitUsage    = 2 // bad flag, missing argument
	ExitFailure  = 3 // network, authentication, Genesys 5xx, unreadable input
)

// ExitError carries an exit code. A nil Err means the command already
// reported what went wrong and exits silently.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// errFindings ends a command whose results (already printed) hold problems.
var errFindings = &ExitError{Code: ExitFindings}

// usageErrorf returns a usage error (exit 2).
func usageErrorf(format string, a ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, a...)}
}

// failuref returns an operational failure (exit 3).
func failuref(format string, a ...any) error {
	return &ExitError{Code: ExitFailure, Err: fmt.Errorf(format, a...)}
}

// failure wraps err as an operational failure (exit 3).
func failure(err error) error {
	if err == nil {
		return nil
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return err
	}
	return &ExitError{Code: ExitFailure, Err: err}
}

// exitCode maps an error returned by a command to the process exit code and
// the message to print (empty when nothing more should be printed).
func exitCode(err error) (int, string) {
	if err == nil {
		return ExitOK, ""
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err == nil {
			return ee.Code, ""
		}
		return ee.Code, ee.Err.Error()
	}
	// Flag and argument errors are typed where they are made (flagError,
	// usageArgs). The one error cobra makes itself, for an argument that
	// names no command, is known by its text, as cli/cli knows it;
	// everything else reaching here is an operational failure.
	if strings.HasPrefix(err.Error(), "unknown command ") {
		return ExitUsage, err.Error()
	}
	return ExitFailure, err.Error()
}
