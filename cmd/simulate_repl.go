package cmd

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/words"
	"github.com/flowctl/flowctl/report"
	"github.com/flowctl/flowctl/simulate"
)

// conversation drives a simulate session from input lines and prints its
// transcript.
type conversation struct {
	f           *Factory
	st          *report.Styles
	interactive bool
	s           *simulate.Session
	events      []simulate.Event
	failed      int
}

func runConversation(f *Factory, p *flow.Project, resolver simulate.QueueResolver, opts *simulateOptions) error {
	cv := &conversation{f: f, st: newStyles(f.IO), interactive: f.IO.IsStdinTTY()}
	s, err := simulate.New(p, simulate.Options{Resolver: resolver, Sink: cv.show, Context: f.Context})
	if err != nil {
		return failure(err)
	}
	cv.s = s
	if cv.interactive {
		fmt.Fprintln(f.IO.Out, cv.st.Dim.Render(fmt.Sprintf("Simulating %s (%s). Type what the user says; /help lists commands, /quit leaves.", simulate.Printable(p.Name), simulate.Printable(p.File))))
	}
	if err := s.Start(); err != nil {
		return failure(err)
	}
	done := make(chan struct{})
	defer close(done)
	lines := readLines(f.IO.In, done)
	n := 0
	var readErr error // input failed: the session so far is still recorded
loop:
	for {
		if cv.interactive {
			fmt.Fprint(f.IO.Out, cv.st.User.Render("you> "))
		}
		var line string
		select {
		case <-f.Context.Done():
			if cv.interactive {
				fmt.Fprintln(f.IO.Out)
			}
			break loop
		case l, ok := <-lines:
			if !ok {
				if cv.interactive {
					fmt.Fprintln(f.IO.Out)
				}
				break loop
			}
			line = l.text
			var pe *panicError
			if errors.As(l.err, &pe) {
				readErr = l.err
				break loop
			}
			if l.err != nil {
				readErr = failuref("reading input: %v", l.err)
				break loop
			}
		}
		n++
		if quit := cv.apply(n, line); quit {
			break
		}
	}
	if opts.Record != "" {
		if err := writeRecording(f, opts.Record, opts, cv.events); err != nil {
			if readErr != nil {
				return failuref("%v\n%v", readErr, err)
			}
			return err
		}
	}
	if readErr != nil {
		return readErr
	}
	// Ctrl-C ends the REPL like /quit; piped input not read to its end
	// was interrupted (Main reports it).
	if err := f.Context.Err(); err != nil && !cv.interactive {
		return err
	}
	if cv.failed > 0 && !cv.interactive {
		return &ExitError{Code: ExitFindings, Err: fmt.Errorf("%s of the input could not be applied", words.Plural(cv.failed, "line"))}
	}
	return nil
}

type inputLine struct {
	text string
	err  error
}

// readLines delivers input lines on a channel, so that Ctrl-C (the
// factory's context) can end a session blocked on input. Closing done
// (after /quit, Ctrl-C or an error) makes the reader stop instead of
// waiting forever to hand over its next line; a read already blocked on a
// terminal ends with the next line or end of input.
func readLines(r io.Reader, done <-chan struct{}) <-chan inputLine {
	ch := make(chan inputLine)
	send := func(l inputLine) bool {
		select {
		case <-done:
			return false
		default:
		}
		select {
		case ch <- l:
			return true
		case <-done:
			return false
		}
	}
	go func() {
		defer close(ch)
		defer func() {
			if v := recover(); v != nil {
				send(inputLine{err: recovered(v)})
			}
		}()
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			if !send(inputLine{text: sc.Text()}) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			send(inputLine{err: err})
		}
	}()
	return ch
}

// apply runs one input line; it reports whether the user quit.
func (cv *conversation) apply(n int, line string) (quit bool) {
	c, err := simulate.ParseCommand(line)
	if err == nil {
		switch c.Kind {
		case simulate.CmdSay:
			err = cv.s.Say(c.Text)
		case simulate.CmdWait:
			err = cv.s.Wait(c.Wait)
		case simulate.CmdAgent:
			err = cv.s.Agent(c.Agent)
		case simulate.CmdMemory:
			cv.memory()
		case simulate.CmdState:
			cv.state()
		case simulate.CmdHelp:
			for _, l := range strings.Split(simulate.CommandHelp, "\n") {
				fmt.Fprintln(cv.f.IO.Out, cv.st.Dim.Render(l))
			}
		case simulate.CmdQuit:
			return true
		}
	}
	if err != nil && cv.f.Context.Err() != nil {
		return true // interrupted: the session stopped
	}
	if err != nil {
		cv.failed++
		if cv.interactive {
			fmt.Fprintf(cv.f.IO.ErrOut, "%s %s\n", cv.st.Error.Render("!"), simulate.Printable(err.Error()))
		} else {
			fmt.Fprintf(cv.f.IO.ErrOut, "flowctl: line %d: %s\n", n, simulate.Printable(err.Error()))
		}
	}
	return false
}

// show prints one event of the transcript, control characters escaped. On
// a terminal the user's own messages to the bot are not repeated (they
// were just typed).
func (cv *conversation) show(e simulate.Event) {
	cv.events = append(cv.events, e)
	if cv.interactive && e.Kind == simulate.EventUser && !e.ToGenesys {
		return
	}
	w := cv.f.IO.Out
	line := simulate.Printable(e.Line())
	switch e.Speaker() {
	case "bot":
		fmt.Fprintf(w, "%s %s\n", cv.st.Bot.Render("bot:"), line)
	case "user":
		fmt.Fprintf(w, "%s %s\n", cv.st.User.Render("user:"), line)
	case "agent":
		fmt.Fprintf(w, "%s %s\n", cv.st.Agent.Render("agent:"), line)
	default:
		style := cv.st.System
		switch e.Kind {
		case simulate.EventError:
			style = cv.st.Error
		case simulate.EventCommand, simulate.EventDelivered, simulate.EventWait:
			style = cv.st.Dim
		case simulate.EventClosed:
			style = cv.st.Bold
		}
		fmt.Fprintln(w, style.Render("* "+line))
		if e.Kind == simulate.EventClosed && cv.interactive {
			fmt.Fprintln(w, cv.st.Dim.Render("The session is over: /memory and /state still work, /quit leaves."))
		}
	}
}

// memory prints the bot's memory as JSON, keys sorted.
func (cv *conversation) memory() {
	b, err := json.MarshalIndent(cv.s.State().Memory, "", "  ")
	if err != nil {
		b = []byte(fmt.Sprintf("%v", cv.s.State().Memory))
	}
	fmt.Fprintln(cv.f.IO.Out, simulate.PrintableLines(string(b)))
}

// state prints who owns the chat and what runs.
func (cv *conversation) state() {
	s := cv.s.State()
	var sb strings.Builder
	owner := string(s.Owner)
	switch s.Owner {
	case simulate.OwnerBot:
		if s.Waiting {
			owner += " (waiting for the user at " + s.Block + ")"
		}
	case simulate.OwnerQueued, simulate.OwnerAgent:
		if s.ToAgent != "" {
			owner += fmt.Sprintf(" for agent %q", s.ToAgent)
		}
		owner += fmt.Sprintf(" (queue %q, redirect %s)", s.Queue, s.Block)
	case simulate.OwnerClosed:
		owner += ": " + s.Reason + " at " + s.Block
	}
	fmt.Fprintf(&sb, "owner:      %s\n", owner)
	fmt.Fprintf(&sb, "time:       +%s\n", simulate.FormatDuration(s.Now.Sub(simulate.Epoch)))
	if s.InactivityDeadline.IsZero() {
		sb.WriteString("inactivity: not running\n")
	} else {
		fmt.Fprintf(&sb, "inactivity: closes in %s\n", simulate.FormatDuration(s.InactivityDeadline.Sub(s.Now)))
	}
	fmt.Fprintf(&sb, "intent:     %q (score %g)\n", s.Intent.Intent, s.Intent.Score)
	if len(s.Attributes) == 0 {
		sb.WriteString("attributes: none\n")
	} else {
		fmt.Fprintf(&sb, "attributes:%s\n", strings.TrimPrefix(simulate.FormatAttributes(s.Attributes), " with"))
	}
	if len(s.Pending) > 0 {
		fmt.Fprintf(&sb, "waiting in Genesys: %s\n", words.Plural(len(s.Pending), "message"))
	}
	fmt.Fprint(cv.f.IO.Out, simulate.PrintableLines(sb.String()))
}
