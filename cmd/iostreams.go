package cmd

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are a command's standard streams with terminal and colour facts.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	color     bool
}

// newIOStreams detects terminals on the given streams. FLOWCTL_FORCE_TTY=1
// makes stdin and stdout count as terminals (for tests and recordings).
func newIOStreams(in io.Reader, out, errOut io.Writer, getenv func(string) string) *IOStreams {
	ios := &IOStreams{In: in, Out: out, ErrOut: errOut}
	ios.stdinTTY = isTerminal(in)
	ios.stdoutTTY = isTerminal(out)
	if getenv("FLOWCTL_FORCE_TTY") == "1" {
		ios.stdinTTY, ios.stdoutTTY = true, true
	}
	return ios
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// ColorEnabled reports whether output to stdout may be styled.
func (s *IOStreams) ColorEnabled() bool { return s.color }

// setColor decides colour once from --color and the environment:
// never/always win; auto means stdout is a terminal, NO_COLOR (non-empty) or
// CLICOLOR=0 turn it off, CLICOLOR_FORCE (non-empty, not 0) turns it on.
func (s *IOStreams) setColor(mode string, getenv func(string) string) {
	switch mode {
	case "never":
		s.color = false
	case "always":
		s.color = true
	default:
		switch {
		case getenv("NO_COLOR") != "" || getenv("CLICOLOR") == "0":
			s.color = false
		case getenv("CLICOLOR_FORCE") != "" && getenv("CLICOLOR_FORCE") != "0":
			s.color = true
		default:
			s.color = s.stdoutTTY
		}
	}
}
