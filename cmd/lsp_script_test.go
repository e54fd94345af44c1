package cmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	scriptCmds["lspframe"] = cmdLSPFrame
	scriptCmds["lspunframe"] = cmdLSPUnframe
}

var textRefRe = regexp.MustCompile(`"@text:([^"]+)"`)

// cmdLSPFrame writes the JSON messages of IN (one a line) as a protocol
// stream (Content-Length framed) to OUT:
//
//	lspframe IN OUT
//
// $WORK in a message is the script's work directory; "@text:FILE" is the
// content of FILE as a JSON string. A line "#raw TEXT" frames TEXT as it
// is, JSON or not.
func cmdLSPFrame(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: lspframe IN OUT")
	}
	var out bytes.Buffer
	for _, line := range strings.Split(ts.ReadFile(args[0]), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if raw, ok := strings.CutPrefix(line, "#raw "); ok {
			fmt.Fprintf(&out, "Content-Length: %d\r\n\r\n%s", len(raw), raw)
			continue
		}
		line = strings.ReplaceAll(line, "$WORK", ts.Getenv("WORK"))
		line = textRefRe.ReplaceAllStringFunc(line, func(m string) string {
			b, err := json.Marshal(ts.ReadFile(textRefRe.FindStringSubmatch(m)[1]))
			ts.Check(err)
			return string(b)
		})
		if !json.Valid([]byte(line)) {
			ts.Fatalf("not JSON: %s", line)
		}
		fmt.Fprintf(&out, "Content-Length: %d\r\n\r\n%s", len(line), line)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), out.Bytes(), 0o644))
}

// cmdLSPUnframe reads a protocol stream and writes its messages, one
// compact JSON a line, with the work directory written $WORK; anything in
// the stream that is not a framed JSON message fails the script:
//
//	lspunframe IN OUT
func cmdLSPUnframe(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: lspunframe IN OUT")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	r := bufio.NewReader(bytes.NewReader(data))
	var out strings.Builder
	for n := 0; ; n++ {
		header, err := r.ReadString('\n')
		if err == io.EOF && header == "" {
			break
		}
		length, ok := strings.CutPrefix(strings.TrimSuffix(header, "\r\n"), "Content-Length: ")
		size, cerr := strconv.Atoi(length)
		if !ok || cerr != nil {
			ts.Fatalf("message %d: not a Content-Length header: %q", n, header)
		}
		if blank, _ := r.ReadString('\n'); blank != "\r\n" {
			ts.Fatalf("message %d: no blank line after the header", n)
		}
		body := make([]byte, size)
		if _, err := io.ReadFull(r, body); err != nil {
			ts.Fatalf("message %d: %v", n, err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, body); err != nil {
			ts.Fatalf("message %d is not JSON: %v", n, err)
		}
		out.WriteString(strings.ReplaceAll(compact.String(), ts.Getenv("WORK"), "$WORK") + "\n")
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(out.String()), 0o644))
}
