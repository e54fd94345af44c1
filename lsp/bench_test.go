package lsp

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/internal/flowgen"
	"github.com/flowctl/flowctl/lsp/lsptest"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// benchFlow opens a generated 1,000-block flow and returns its URI, the
// line of its first text and the column in it that edits change.
func benchFlow(b testing.TB, c *lsptest.Client) (uri string, line, col int, src string) {
	b.Helper()
	src = string(flowgen.Flow(1000, []string{"Support EN", "Billing"}))
	uri = uriOf("flows/bench.flow.yaml")
	c.Open(uri, src, 1)
	c.Diagnostics(uri, 1)
	line, col = posOf(b, src, `text: "Step 0`, len(`text: "Step `))
	return uri, line, col, src
}

// edit replaces one character of the first block's text (a keystroke).
func edit(c *lsptest.Client, uri string, line, col, version int) {
	c.Edit(uri, version, lsptest.Change{
		Range: &lsptest.Range{Start: lsptest.Position{Line: line, Character: col}, End: lsptest.Position{Line: line, Character: col + 1}},
		Text:  string(rune('0' + version%10)),
	})
}

// BenchmarkDiagnostics1000: from a keystroke in a 1,000-block flow to its
// diagnostics, through the pipe (debounce included). Target: 50 ms.
func BenchmarkDiagnostics1000(b *testing.B) {
	c := startServer(b, Options{})
	uri, line, col, _ := benchFlow(b, c)
	b.ResetTimer()
	for i := range b.N {
		v := i + 2
		edit(c, uri, line, col, v)
		if d := c.Diagnostics(uri, v); len(d.Diagnostics) == 0 {
			b.Fatal("no diagnostics")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/change")
}

// BenchmarkCompletion1000: block ids after "next: " in a 1,000-block flow,
// right after a keystroke (whose diagnostics are being computed), through
// the pipe: with nothing typed yet (the first 200 ids, marked incomplete)
// and with "b99" typed. Target: 20 ms.
func BenchmarkCompletion1000(b *testing.B) {
	for _, tc := range []struct{ name, typed, want string }{
		{name: "nothing typed", typed: "", want: `"label":"b199"`},
		{name: "b99 typed", typed: "b99", want: `"label":"b999"`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c := startServer(b, Options{})
			uri, line, col, src := benchFlow(b, c)
			nl, nc := posOf(b, src, "next: b3 }", len("next: "))
			c.Edit(uri, 2, lsptest.Change{Range: &lsptest.Range{Start: lsptest.Position{Line: nl, Character: nc}, End: lsptest.Position{Line: nl, Character: nc + 2}}, Text: tc.typed})
			b.ResetTimer()
			for i := range b.N {
				edit(c, uri, line, col, i+3)
				res := c.Call("textDocument/completion", lsptest.At(uri, nl, nc+len(tc.typed)))
				if !strings.Contains(string(res), tc.want) {
					b.Fatalf("completion lacks %s: %.200s", tc.want, res)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/completion")
		})
	}
}

// BenchmarkEdits1000Memory: 1,000 keystrokes in a 1,000-block flow, with
// diagnostics after every tenth; the live heap after the first 100 edits
// and after all 1,000 (it must stay flat).
func BenchmarkEdits1000Memory(b *testing.B) {
	heap := func() float64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return float64(m.HeapAlloc) / (1 << 20)
	}
	var after100, after1000 float64
	for range b.N {
		c := startServer(b, Options{})
		uri, line, col, _ := benchFlow(b, c)
		for v := 2; v <= 1001; v++ {
			edit(c, uri, line, col, v)
			if v%10 == 0 {
				c.Diagnostics(uri, v)
				c.Forget() // the test client keeps nothing
			}
			if v == 101 {
				c.Diagnostics(uri, v)
				after100 = heap()
			}
		}
		c.Diagnostics(uri, 1001)
		after1000 = heap()
		if err := c.Shutdown(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(after100, "heap-MB-after-100-edits")
	b.ReportMetric(after1000, "heap-MB-after-1000-edits")
}

// BenchmarkAnalyse1000 is the server's own work behind a change's
// diagnostics in a 1,000-block flow: the edit applied, the file checked
// (flow.CheckFile) and the diagnostics converted; no pipe, no debounce.
func BenchmarkAnalyse1000(b *testing.B) {
	s, uri, line, col := directServer(b)
	b.ResetTimer()
	for i := range b.N {
		directEdit(s, uri, line, col, i+2)
		_, an := s.doc(protocol.DocumentUri(uri))
		an.diagnostics()
	}
}

// BenchmarkCompletionHandler1000 is the completion handler's own time at
// "next: " in a 1,000-block flow right after a keystroke (the analysis of
// the keystroke is not waited for).
func BenchmarkCompletionHandler1000(b *testing.B) {
	s, uri, line, col := directServer(b)
	src := s.docs[protocol.DocumentUri(uri)].text.s
	nl, nc := posOf(b, src, "next: b3 }", len("next: "))
	p := &protocol.CompletionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentUri(uri)},
		Position:     protocol.Position{Line: protocol.UInteger(nl), Character: protocol.UInteger(nc)},
	}}
	b.ResetTimer()
	for i := range b.N {
		directEdit(s, uri, line, col, i+2)
		if _, err := s.completion(nil, p); err != nil {
			b.Fatal(err)
		}
	}
}

// directServer is a server without a connection, with the generated flow
// open and analysed, and the garbage collector's target Serve sets.
func directServer(b *testing.B) (*Server, string, int, int) {
	if os.Getenv("GOGC") == "" {
		old := debug.SetGCPercent(GCPercent)
		b.Cleanup(func() { debug.SetGCPercent(old) })
	}
	s := newServer(context.Background(), Options{})
	s.inited = true
	src := string(flowgen.Flow(1000, []string{"Support EN", "Billing"}))
	uri := uriOf("flows/bench.flow.yaml")
	if err := s.didOpen(nil, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: protocol.DocumentUri(uri), Version: 1, Text: src}}); err != nil {
		b.Fatal(err)
	}
	s.doc(protocol.DocumentUri(uri))
	line, col := posOf(b, src, `text: "Step 0`, len(`text: "Step `))
	return s, uri, line, col
}

func directEdit(s *Server, uri string, line, col, version int) {
	pos := protocol.Position{Line: protocol.UInteger(line), Character: protocol.UInteger(col)}
	end := protocol.Position{Line: pos.Line, Character: pos.Character + 1}
	_ = s.didChange(nil, &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: protocol.DocumentUri(uri)}, Version: protocol.Integer(version)},
		ContentChanges: []any{protocol.TextDocumentContentChangeEvent{Range: &protocol.Range{Start: pos, End: end}, Text: string(rune('0' + version%10))}},
	})
}
