package cmd

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/flowctl/flowctl/report"
	"golang.org/x/sync/errgroup"
)

// panicError is a panic recovered in a command, in its goroutine or in one
// it started: a bug in flowctl, exit 3 (never 2, which would blame the
// command line) with a one-line request to report it.
type panicError struct {
	value any
	at    string // file:line of the panic, "" when unknown
}

func (e *panicError) Error() string {
	msg := strings.Join(strings.Fields(fmt.Sprint(e.value)), " ")
	if e.at != "" {
		msg += " (at " + e.at + ")"
	}
	return "internal error: " + msg + "; please report it at " + report.InfoURI + "/issues"
}

// recovered makes a recovered panic value an operational failure naming
// where the panic happened. Call it from the deferred function that
// called recover.
func recovered(v any) error {
	return &ExitError{Code: ExitFailure, Err: &panicError{value: v, at: panicSite()}}
}

// panicSite is the file:line (its directory and name) of the function that
// panicked: the first frame outside the runtime below runtime.gopanic.
func panicSite() string {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	inPanic := false
	for {
		fr, more := frames.Next()
		switch {
		case fr.Function == "runtime.gopanic":
			inPanic = true
		case inPanic && !strings.HasPrefix(fr.Function, "runtime."):
			return filepath.Base(filepath.Dir(fr.File)) + "/" + filepath.Base(fr.File) + fmt.Sprintf(":%d", fr.Line)
		}
		if !more {
			return ""
		}
	}
}

// goSafe runs fn in g; a panic in fn becomes the error g.Wait returns
// instead of ending the process.
func goSafe(g *errgroup.Group, fn func()) {
	g.Go(func() (err error) {
		defer func() {
			if v := recover(); v != nil {
				err = recovered(v)
			}
		}()
		fn()
		return nil
	})
}
