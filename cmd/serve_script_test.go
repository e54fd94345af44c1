package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/coder/websocket"
	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	scriptCmds["exitcode"] = cmdExitCode
	scriptCmds["freeport"] = cmdFreePort
	scriptCmds["holdport"] = cmdHoldPort
	scriptCmds["waithttp"] = cmdWaitHTTP
	scriptCmds["chatws"] = cmdChatWS
	scriptCmds["hoststatus"] = cmdHostStatus
	scriptCmds["httpget"] = cmdHTTPGet
}

// scriptWait bounds the waits of the serve scripts.
const scriptWait = 20 * time.Second

// cmdExitCode runs a program and checks its exit status; stdout and stderr
// are then checked as after exec:
//
//	exitcode N PROGRAM [ARGS...]
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdFreePort sets VAR to a loopback port that was free a moment ago:
//
//	freeport VAR
func cmdFreePort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: freeport VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ts.Setenv(args[0], strconv.Itoa(port))
}

// cmdHoldPort keeps a loopback port busy until the script ends and sets VAR
// to it:
//
//	holdport VAR
func cmdHoldPort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: holdport VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	ts.Defer(func() { ln.Close() })
	ts.Setenv(args[0], strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
}

// cmdWaitHTTP polls URL until it answers 200 (a server in the background
// is up), failing after scriptWait:
//
//	waithttp URL
func cmdWaitHTTP(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waithttp URL")
	}
	deadline := time.Now().Add(scriptWait)
	var last error
	for time.Now().Before(deadline) {
		resp, err := http.Get(args[0])
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			err = fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		last = err
		time.Sleep(20 * time.Millisecond)
	}
	ts.Fatalf("%s not up within %s: %v", args[0], scriptWait, last)
}

// cmdHTTPGet writes the body of GET URL to stdout; the answer must be 200:
//
//	httpget URL
func cmdHTTPGet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: httpget URL")
	}
	resp, err := http.Get(args[0])
	ts.Check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	ts.Check(err)
	if resp.StatusCode != http.StatusOK {
		ts.Fatalf("GET %s: HTTP %d %s", args[0], resp.StatusCode, body)
	}
	ts.Stdout().Write(body)
}

// cmdHostStatus checks the HTTP status of GET URL sent with Host HOST:
//
//	hoststatus URL HOST STATUS
func cmdHostStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: hoststatus URL HOST STATUS")
	}
	req, err := http.NewRequest(http.MethodGet, args[0], nil)
	ts.Check(err)
	req.Host = args[1]
	resp, err := http.DefaultClient.Do(req)
	ts.Check(err)
	resp.Body.Close()
	if got := fmt.Sprint(resp.StatusCode); got != args[2] {
		ts.Fatalf("GET %s with Host %s: HTTP %s, want %s", args[0], args[1], got, args[2])
	}
}

// cmdChatWS chats with a served flow as its web page does: it opens
// BASE/ws, waits for the greeting, then sends each message and waits for
// its answer (a bot message, or a state other than bot), writing the log
// ("bot: ...", "state: ...") to stdout. CHAT is set to the chat id. The
// message /save-test asks for "save as test" instead: SAVED is set to the
// written file's path ("saved: PATH" in the log).
//
//	chatws BASE MESSAGE...
func cmdChatWS(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: chatws BASE MESSAGE...")
	}
	ctx, cancel := context.WithTimeout(context.Background(), scriptWait)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(args[0], "http")+"/ws", nil)
	ts.Check(err)
	defer conn.CloseNow()
	out := ts.Stdout()
	// answer reads until a bot message or a state other than bot arrives,
	// or, while Genesys has the chat, the user's message itself.
	state := "bot"
	answer := func() {
		for {
			_, data, err := conn.Read(ctx)
			ts.Check(err)
			var m struct {
				Type, Chat, Role, Text, Error, Path string
				Events                              []struct{ Role, Text string }
			}
			ts.Check(json.Unmarshal(data, &m))
			done := false
			switch m.Type {
			case "hello":
				ts.Setenv("CHAT", m.Chat)
				if m.Chat == "" {
					fmt.Fprintf(out, "error: %s\n", m.Error)
					done = true
				}
			case "history":
				for _, e := range m.Events {
					fmt.Fprintf(out, "%s: %s\n", e.Role, e.Text)
					done = done || e.Role == "bot"
				}
			case "event":
				fmt.Fprintf(out, "%s: %s\n", m.Role, m.Text)
				done = m.Role == "bot" || (m.Role == "user" && state != "bot")
			case "state":
				var s struct{ State string }
				json.Unmarshal(data, &s)
				fmt.Fprintf(out, "state: %s\n", s.State)
				state = s.State
				done = s.State != "bot"
			case "error":
				fmt.Fprintf(out, "error: %s\n", m.Text)
				done = true
			case "saved":
				fmt.Fprintf(out, "saved: %s\n", m.Path)
				ts.Setenv("SAVED", m.Path)
				done = true
			}
			if done {
				return
			}
		}
	}
	answer()
	for _, msg := range args[1:] {
		data, _ := json.Marshal(map[string]string{"type": "say", "text": msg})
		if msg == "/save-test" {
			data, _ = json.Marshal(map[string]string{"type": "save-test"})
		}
		ts.Check(conn.Write(ctx, websocket.MessageText, data))
		answer()
	}
}
