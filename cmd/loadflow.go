package cmd

import (
	"fmt"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/report"
	"github.com/flowctl/flowctl/schemas"
)

// notAFlow is the error (exit 1) of a command that runs a flow (simulate,
// serve) given another kind of flowctl file (src, its bytes): what it is
// and what to do with it, "tests/a.test.yaml: this is a conversation test
// file (it has flow and steps), not a flow file: run it with flowctl test
// tests/a.test.yaml"; nil for a flow file, valid or not.
func notAFlow(path string, src []byte) error {
	for _, p := range schemas.ReadTree(path, src, schemas.KindFlow).Problems {
		if p.Kind == schemas.ProblemOtherKind {
			return &ExitError{Code: ExitFindings, Err: fmt.Errorf("%s: %s", path, p.Message)}
		}
	}
	return nil
}

// loadFlow loads a flow file for a command that runs or draws it (simulate,
// serve, graph) and returns it with its errors (warnings left out). A file
// that cannot be read is an operational failure (exit 3).
func loadFlow(path string) (*flow.Project, []flow.Finding, error) {
	p, err := flow.Load(path)
	if err != nil {
		return nil, nil, failuref("%s", cannotRead(path, err))
	}
	var errs []flow.Finding
	for _, fd := range flow.Validate(p, flow.Options{}) {
		if fd.Severity == flow.SeverityError {
			errs = append(errs, fd)
		}
	}
	return p, errs, nil
}

// cannotRead says why a flow file could not be loaded: "cannot read FILE:
// cause", the cause without the path repeated.
func cannotRead(path string, err error) string {
	return fmt.Sprintf("cannot read %s: %v", path, flow.PathErrorCause(err))
}

// printFindings writes findings to stderr, one line each as validate's text
// output writes them (file:line:col: severity: message [rule]).
func printFindings(f *Factory, fs []flow.Finding) {
	st := newStyles(f.IO)
	for _, fd := range fs {
		fmt.Fprintln(f.IO.ErrOut, report.FindingLine(fd, st))
	}
}
