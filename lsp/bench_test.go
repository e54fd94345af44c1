package lsp

import (
	"runtime"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/internal/flowgen"
	"github.com/flowctl/flowctl/lsp/lsptest"
)

// benchFlow opens a generated 1,000-block flow and returns its URI, the
// line of its first text and the column in it that edits change.
func benchFlow(b *testing.B, c *lsptest.Client) (uri string, line, col int, src string) {
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
// right after a keystroke. Target: 20 ms.
func BenchmarkCompletion1000(b *testing.B) {
	c := startServer(b, Options{})
	uri, line, col, src := benchFlow(b, c)
	nl, nc := posOf(b, src, "next: b3 }", len("next: "))
	b.ResetTimer()
	for i := range b.N {
		edit(c, uri, line, col, i+2)
		res := c.Call("textDocument/completion", lsptest.At(uri, nl, nc))
		if !strings.Contains(string(res), `"label":"b999"`) {
			b.Fatalf("completion lacks b999: %.200s", res)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/completion")
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
