package lsp

import (
	"cmp"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/flowctl/flowctl/lsp/lsptest"
)

const completeFile = "flows/complete.flow.yaml"

// completionReply is the part of a completion reply the tests read.
type completionReply struct {
	Items []struct {
		Label    string `json:"label"`
		TextEdit *struct {
			Range   lsptest.Range `json:"range"`
			NewText string        `json:"newText"`
		} `json:"textEdit"`
	} `json:"items"`
}

// TestCompletionInContext: completion where the cursor is in the middle of
// an expression, a template or a mapping, through the pipe. Each case
// names what is offered, and the line after the first item is accepted:
// only the name at the cursor is replaced, never the rest of the
// expression or the closing quote.
func TestCompletionInContext(t *testing.T) {
	c := startServer(t, Options{})
	srcs := map[string]string{completeFile: openFile(t, c, completeFile), "flowctl.yaml": openFile(t, c, "flowctl.yaml"), handoverTest: openFile(t, c, handoverTest)}
	tests := []struct {
		name   string
		file   string // "" completeFile
		needle string // the cursor is at the | in it
		labels []string
		line   string // the cursor's line once the first item is accepted ("" no edit)
	}{
		{name: "memory key in a when", needle: "'memory.tr|ies > 1", labels: []string{"tries", "tier"},
			line: `          - when: 'memory.tries > 1 && nlu.intent == "agent"'`},
		{name: "intent in a when", needle: `== "ag|ent"'`, labels: []string{"agent", "billing"},
			line: `          - when: 'memory.tries > 1 && nlu.intent == "agent"'`},
		{name: "name in a when", needle: "&& nl|u.intent", labels: []string{"memory", "nlu", "input", "session"},
			line: `          - when: 'memory.tries > 1 && memory.intent == "agent"'`},
		{name: "memory key in a text", needle: "{memory.ti|er ??", labels: []string{"tries", "tier"},
			line: `        text: "{memory.tries ?? 'standard'} {nlu.intent}"`},
		{name: "nlu fields in a text", needle: "{nlu.in|tent}", labels: []string{"intent", "score"},
			line: `        text: "{memory.tier ?? 'standard'} {nlu.intent}"`},
		{name: "memory key in a set value", needle: "tries: memory.tr|ies + 1", labels: []string{"tries", "tier"},
			line: `          tries: memory.tries + 1`},
		{name: "name in a set value", needle: "tier: mem|ory.tier", labels: []string{"memory", "nlu", "input", "session"},
			line: `          tier: memory.tier ?? 'standard'`},
		{name: "in a string literal: nothing", needle: "?? 'stan|dard'\n", labels: nil},
		{name: "boolean input", needle: "input: |false", labels: []string{"true", "false"},
			line: `        input: true`},
		{name: "boolean resume", needle: "resume: |true", labels: []string{"true", "false"},
			line: `        resume: true`},
		{name: "redirect fields not written yet", needle: "        |resume: true", labels: []string{"commands", "resume"}},
		{name: "end fields in a flow mapping", needle: "type: end, |text", labels: []string{"commands", "text"}},
		{name: "output keys not written yet", needle: "            |next: hello", labels: []string{"next"}},
		{name: "top-level keys not written yet", needle: "|start: main", labels: []string{"start", "session"}},
		{name: "test step kinds from the test schema", file: handoverTest, needle: "  - |user: agent", labels: []string{"bot", "error", "user", "handover", "agent", "wait", "memory", "closed"}},
		{name: "test agent transfer keys", file: handoverTest, needle: "agent: { |transfer", labels: []string{"say", "transfer", "transferToAgent"}},
		{name: "config keys not written yet", file: "flowctl.yaml", needle: "|tests:", labels: []string{"version", "client", "strict", "tests", "online"}},
	}
	replies := map[string]json.RawMessage{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := cmp.Or(tt.file, completeFile)
			src := srcs[file]
			at := strings.Index(tt.needle, "|")
			needle := tt.needle[:at] + tt.needle[at+1:]
			l, ch := posOf(t, src, needle, at)
			res := c.Call("textDocument/completion", lsptest.At(uriOf(file), l, ch))
			replies[tt.name] = res
			var reply completionReply
			if err := json.Unmarshal(res, &reply); err != nil {
				t.Fatal(err)
			}
			var labels []string
			for _, it := range reply.Items {
				labels = append(labels, it.Label)
			}
			if strings.Join(labels, " ") != strings.Join(tt.labels, " ") {
				t.Errorf("offered %q, want %q", labels, tt.labels)
			}
			if tt.line == "" || len(reply.Items) == 0 {
				return
			}
			e := reply.Items[0].TextEdit
			if e == nil || e.Range.Start.Line != l || e.Range.End.Line != l {
				t.Fatalf("the first item has no edit on line %d: %s", l, res)
			}
			ln := strings.Split(src, "\n")[l]
			got := ln[:byteAt(ln, e.Range.Start.Character)] + e.NewText + ln[byteAt(ln, e.Range.End.Character):]
			if got != tt.line {
				t.Errorf("accepting %q makes the line\n%s\nwant\n%s", reply.Items[0].Label, got, tt.line)
			}
		})
	}
	checkGolden(t, "completion-context", replies)
}

// byteAt is the byte offset of UTF-16 character ch in ln.
func byteAt(ln string, ch int) int {
	n := 0
	for i, r := range ln {
		if n >= ch {
			return i
		}
		n += len(utf16.Encode([]rune{r}))
	}
	return len(ln)
}
