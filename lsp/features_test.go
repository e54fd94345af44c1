package lsp

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/lsp/lsptest"
)

const (
	flowFile     = "flows/acme.flow.yaml"
	handoverTest = "tests/handover.test.yaml"
)

func TestInitialize(t *testing.T) {
	c := lsptest.Start(t, serveFunc(Options{Version: "test"}))
	res := c.Initialize(string(pathURI(project)))
	checkGolden(t, "initialize", res)
	if err := c.Shutdown(); err != nil {
		t.Errorf("shutdown then exit: %v", err)
	}
}

func TestDiagnostics(t *testing.T) {
	c := startServer(t, Options{})
	openFile(t, c, flowFile)
	openFile(t, c, "tests/handover.test.yaml")
	openFile(t, c, "flowctl.yaml")
	checkGolden(t, "diagnostics", map[string]any{
		"flow":   c.Diagnostics(uriOf(flowFile), 1),
		"test":   c.Diagnostics(uriOf("tests/handover.test.yaml"), 1),
		"config": c.Diagnostics(uriOf("flowctl.yaml"), 1),
	})
}

func TestCompletion(t *testing.T) {
	c := startServer(t, Options{})
	src := openFile(t, c, flowFile)
	at := func(needle string, n int) map[string]any {
		l, ch := posOf(t, src, needle, n)
		return lsptest.At(uriOf(flowFile), l, ch)
	}
	replies := map[string]json.RawMessage{}
	for name, p := range map[string]map[string]any{
		"next: block ids of the flow":     at("next: bye", len("next: b")),
		"onError":                         at("onError: sorry", len("onError: ")),
		"flow start: block ids":           at("start: b1", len("start: ")),
		"top start: flow names":           at("start: main", len("start: ")),
		"transfer flow: flow names":       at("flow: billng", len("flow: bil")),
		"type: block types":               at("type: transfer", len("type: ")),
		"queue: org queues with division": at(`queue: "billing support"`, len(`queue: "`)),
		"intent literal":                  at(`"agnt"`, 2),
		"memory keys":                     at("memory.name", len("memory.")),
		"block field names":               at("        resume: true", 8),
		"flow mapping next":               at("next: b2x", len("next: ")),
	} {
		replies[name] = c.Call("textDocument/completion", p)
	}
	checkGolden(t, "completion", replies)
}

func TestDefinitionReferences(t *testing.T) {
	c := startServer(t, Options{})
	src := openFile(t, c, flowFile)
	at := func(needle string, n int) map[string]any {
		l, ch := posOf(t, src, needle, n)
		return lsptest.At(uriOf(flowFile), l, ch)
	}
	openFile(t, c, handoverTest)
	refs := func(p map[string]any, decl bool) map[string]any {
		p["context"] = map[string]any{"includeDeclaration": decl}
		return p
	}
	checkGolden(t, "references", map[string]json.RawMessage{
		"references with decl":      c.Call("textDocument/references", refs(at("id: sorry", len("id: ")), true)),
		"references without decl":   c.Call("textDocument/references", refs(at("id: greet", len("id: ")), false)),
		"queue references in tests": c.Call("textDocument/references", refs(at(`"billing support"`, 1), true)),
		"nothing here":              c.Call("textDocument/references", refs(at("Grüß", 1), true)),
	})
	checkGolden(t, "definition", map[string]json.RawMessage{
		"next to block":           c.Call("textDocument/definition", at("next: bye", len("next: b"))),
		"flow start to block":     c.Call("textDocument/definition", at("start: greet", len("start: g"))),
		"top start to flow":       c.Call("textDocument/definition", at("start: main", len("start: m"))),
		"flow mapping onError":    c.Call("textDocument/definition", at("onError: b1", len("onError: "))),
		"unknown target: nothing": c.Call("textDocument/definition", at("next: b2x", len("next: "))),
		"test file's flow":        c.Call("textDocument/definition", lsptest.At(uriOf(handoverTest), 1, len("flow: ../"))),
		"text: nothing":           c.Call("textDocument/definition", at("Grüß", 1)),
	})
}

func TestRename(t *testing.T) {
	c := startServer(t, Options{})
	src := openFile(t, c, flowFile)
	at := func(needle string, n int, newName string) map[string]any {
		l, ch := posOf(t, src, needle, n)
		p := lsptest.At(uriOf(flowFile), l, ch)
		p["newName"] = newName
		return p
	}
	replies := map[string]json.RawMessage{
		"block id from a reference": c.Call("textDocument/rename", at("onError: sorry", len("onError: s"), "apology")),
		"flow name":                 c.Call("textDocument/rename", at("start: main", len("start: "), "entry")),
		"queue across test files":   c.Call("textDocument/rename", at(`"billing support"`, 3, "Billing Support")),
		"prepare on a block id":     c.Call("textDocument/prepareRename", at("id: bye", len("id: b"), "")),
		"prepare on text: nothing":  c.Call("textDocument/prepareRename", at("Grüß", 1, "")),
	}
	for name, p := range map[string]map[string]any{
		"invalid id":    at("id: bye", len("id: "), "1st"),
		"id taken":      at("id: bye", len("id: "), "sorry"),
		"not a symbol":  at("Grüß", 1, "x"),
		"queue spacing": at(`"billing support"`, 3, "Billing  Support"),
	} {
		_, err := c.CallErr("textDocument/rename", p)
		replies["error: "+name] = json.RawMessage(mustJSON(t, errText(err)))
	}
	checkGolden(t, "rename", replies)
}

func TestSymbolsHover(t *testing.T) {
	c := startServer(t, Options{})
	src := openFile(t, c, flowFile)
	cfg := openFile(t, c, "flowctl.yaml")
	at := func(needle string, n int) map[string]any {
		l, ch := posOf(t, src, needle, n)
		return lsptest.At(uriOf(flowFile), l, ch)
	}
	l, ch := posOf(t, cfg, "undefined-memory", 3)
	checkGolden(t, "symbols", c.Call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": uriOf(flowFile)}}))
	checkGolden(t, "hover", map[string]json.RawMessage{
		"block id":              c.Call("textDocument/hover", at("next: handover", len("next: h"))),
		"flow name":             c.Call("textDocument/hover", at("start: main", len("start: "))),
		"transfer block":        c.Call("textDocument/hover", at("id: billing", len("id: "))),
		"queue not exact":       c.Call("textDocument/hover", at(`"billing support"`, 2)),
		"queue spacing":         c.Call("textDocument/hover", at(`"Support  EN"`, 2)),
		"rule id in the config": c.Call("textDocument/hover", lsptest.At(uriOf("flowctl.yaml"), l, ch)),
		"nothing":               c.Call("textDocument/hover", at("version: 1", 0)),
	})
}

func TestCodeActions(t *testing.T) {
	c := startServer(t, Options{})
	src := openFile(t, c, flowFile)
	c.Diagnostics(uriOf(flowFile), 1)
	rng := func(needle string) map[string]any {
		l, ch := posOf(t, src, needle, max(0, strings.Index(needle, "next")))
		return map[string]any{
			"textDocument": map[string]any{"uri": uriOf(flowFile)},
			"range":        lsptest.Range{Start: lsptest.Position{Line: l, Character: ch}, End: lsptest.Position{Line: l, Character: ch}},
			"context":      map[string]any{"diagnostics": []any{}},
		}
	}
	checkGolden(t, "codeaction", map[string]json.RawMessage{
		"unknown next: did you mean":    c.Call("textDocument/codeAction", rng("b2x")),
		"transfer flow: did you mean":   c.Call("textDocument/codeAction", rng("billng")),
		"queue case: did you mean":      c.Call("textDocument/codeAction", rng(`"billing support"`)),
		"queue spacing: trim and match": c.Call("textDocument/codeAction", rng(`"Support  EN"`)),
		"intent: did you mean":          c.Call("textDocument/codeAction", rng(`"agnt"`)),
		"default output last":           c.Call("textDocument/codeAction", rng("- next: sorry")),
		"nothing here":                  c.Call("textDocument/codeAction", rng("version")),
	})
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func errText(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

// TestCodeActionsWithoutOrg: the quick fixes that need no org file: a queue
// name with its white space trimmed (derived from the name), a default
// output moved last in a flow sequence (nested braces, brackets and quotes
// in the items; one line and several), and a config's "did you mean".
// Applying each fix gives the text the case names.
func TestCodeActionsWithoutOrg(t *testing.T) {
	const file, config = "noorg/fixes.flow.yaml", "noorg/flowctl.yaml"
	c := startServer(t, Options{})
	srcs := map[string]string{file: openFile(t, c, file), config: openFile(t, c, config)}
	c.Diagnostics(uriOf(file), 1)
	c.Diagnostics(uriOf(config), 1)
	tests := []struct {
		name, file, needle string
		want               string // the text from the needle's line on, once the first fix is applied ("" no fix)
	}{
		{name: "queue leading, trailing and double space", file: file, needle: `" Support  EN "`,
			want: "        queue: \"Support EN\"\n"},
		{name: "queue double space, plain", file: file, needle: "Support  EN\n",
			want: "        queue: Support EN\n"},
		{name: "default output last, one line", file: file, needle: "{ next: bye }, { when: '",
			want: `        outputs: [ { when: 'nlu.intent in ["agent", "human"]', next: edge }, { when: "input == '}'", next: plain }, { next: bye } ]` + "\n"},
		{name: "default output last, several lines", file: file, needle: "{ next: bye },\n",
			want: "          { when: nlu.intent == \"agent\", next: edge },\n          { next: bye }\n        ]\n"},
		{name: "config rule id: did you mean", file: config, needle: "undefined-memry",
			want: "enable: [undefined-memory]\n"},
		{name: "nothing here", file: file, needle: "text: Hello"},
	}
	replies := map[string]json.RawMessage{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := srcs[tt.file]
			l, ch := posOf(t, src, tt.needle, 0)
			res := c.Call("textDocument/codeAction", map[string]any{
				"textDocument": map[string]any{"uri": uriOf(tt.file)},
				"range":        lsptest.Range{Start: lsptest.Position{Line: l, Character: ch}, End: lsptest.Position{Line: l, Character: ch}},
				"context":      map[string]any{"diagnostics": []any{}},
			})
			replies[tt.name] = res
			var actions []struct {
				Title string `json:"title"`
				Edit  struct {
					Changes map[string][]struct {
						Range   lsptest.Range `json:"range"`
						NewText string        `json:"newText"`
					} `json:"changes"`
				} `json:"edit"`
			}
			if err := json.Unmarshal(res, &actions); err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if len(actions) != 0 {
					t.Errorf("actions where none apply: %s", res)
				}
				return
			}
			if len(actions) == 0 {
				t.Fatalf("no action: %s", res)
			}
			fixed := src
			edits := actions[0].Edit.Changes[uriOf(tt.file)]
			for i := len(edits) - 1; i >= 0; i-- { // the edits are in order and apart
				e := edits[i]
				fixed = fixed[:offsetIn(fixed, e.Range.Start)] + e.NewText + fixed[offsetIn(fixed, e.Range.End):]
			}
			lines := strings.SplitAfter(fixed, "\n")
			got := strings.Join(lines[l:min(len(lines), l+strings.Count(tt.want, "\n"))], "")
			if got != tt.want {
				t.Errorf("%q gives\n%s\nwant\n%s", actions[0].Title, got, tt.want)
			}
		})
	}
	checkGolden(t, "codeaction-noorg", replies)
}

// offsetIn is the byte offset of a protocol position in src.
func offsetIn(src string, p lsptest.Position) int {
	lines := strings.SplitAfter(src, "\n")
	off := 0
	for _, ln := range lines[:p.Line] {
		off += len(ln)
	}
	return off + byteAt(lines[p.Line], p.Character)
}
