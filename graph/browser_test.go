package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/internal/browsertest"

	"github.com/chromedp/chromedp"
)

// mermaidJSPath returns mermaid.min.js from FLOWCTL_MERMAID_JS (the npm
// package's dist/), or skips the test saying what is missing.
func mermaidJSPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("FLOWCTL_MERMAID_JS")
	if path == "" {
		browsertest.Missing(t, "Mermaid browser check skipped: set FLOWCTL_MERMAID_JS to node_modules/mermaid/dist/mermaid.min.js")
	}
	if _, err := os.Stat(path); err != nil {
		browsertest.Missing(t, "Mermaid browser check skipped: FLOWCTL_MERMAID_JS: %v", err)
	}
	return path
}

// mermaidPage loads mermaid.min.js and exposes renderGraph(src), which
// renders a diagram into the page and reports what the SVG holds.
const mermaidPage = `<!doctype html>
<html><head><meta charset="utf-8"><script src="/mermaid.min.js"></script></head>
<body><div id="out"></div>
<script>
mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
let seq = 0;
async function renderGraph(src) {
  try {
    const {svg} = await mermaid.render("graph" + (++seq), src);
    const out = document.getElementById("out");
    out.innerHTML = svg;
    const paths = [...out.querySelectorAll("path.flowchart-link")];
    return {
      nodes: out.querySelectorAll("g.node").length,
      clusters: out.querySelectorAll("g.cluster").length,
      edges: paths.length,
      edgeStyles: paths.map(p => p.getAttribute("style") || ""),
      html: out.querySelectorAll("foreignObject b, foreignObject script").length,
      text: out.textContent,
      error: "",
    };
  } catch (e) {
    return {error: String((e && e.message) || e)};
  }
}
</script></body></html>`

// mermaidRender is what renderGraph reports.
type mermaidRender struct {
	Nodes, Clusters, Edges int
	EdgeStyles             []string
	HTML                   int // elements injected from label text
	Text                   string
	Error                  string
}

// TestGraphMermaidRendersInBrowser renders every golden case with the real
// mermaid library in headless Chromium: the syntax parses, every node,
// cluster and edge is drawn, labels read back unescaped, no label text
// becomes HTML, and overlay edges get their colours.
func TestGraphMermaidRendersInBrowser(t *testing.T) {
	js, err := os.ReadFile(mermaidJSPath(t))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(mermaidPage))
	})
	mux.HandleFunc("/mermaid.min.js", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = w.Write(js)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ctx := browsertest.Start(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatalf("start Chromium and load the page: %v", err)
	}

	for _, tc := range graphGoldenCases() {
		if tc.opts.Format != "" && tc.opts.Format != "mermaid" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			g, src := renderCase(t, tc)
			arg, _ := json.Marshal(string(src))
			rctx, rcancel := context.WithTimeout(ctx, 60*time.Second)
			defer rcancel()
			r, err := chromedp.Run(rctx, chromedp.Evaluate[mermaidRender]("renderGraph("+string(arg)+")", chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("evaluate: %v", err)
			}
			if r.Error != "" {
				t.Fatalf("mermaid rejects the graph: %s\n%s", r.Error, src)
			}
			checkMermaidRender(t, g, r)
		})
	}
}

func checkMermaidRender(t *testing.T, g *Graph, r mermaidRender) {
	t.Helper()
	clusters := append([]*Cluster(nil), g.Clusters...)
	if g.Legend != nil {
		clusters = append(clusters, g.Legend)
	}
	nodes := 0
	for _, c := range clusters {
		nodes += len(c.Nodes)
		if !strings.Contains(r.Text, c.Label) {
			t.Errorf("cluster label %q not in the rendered text", c.Label)
		}
		for _, n := range c.Nodes {
			for _, l := range n.Lines {
				if !strings.Contains(r.Text, l) {
					t.Errorf("node %s: label line %q not in the rendered text", n.ID, l)
				}
			}
		}
	}
	if r.Nodes != nodes || r.Clusters != len(clusters) || r.Edges != len(g.Edges) {
		t.Errorf("rendered %d nodes, %d clusters, %d edges; want %d, %d, %d", r.Nodes, r.Clusters, r.Edges, nodes, len(clusters), len(g.Edges))
	}
	for _, e := range g.Edges {
		if e.Label != "" && !strings.Contains(r.Text, e.Label) {
			t.Errorf("edge %s -> %s: label %q not in the rendered text", e.From, e.To, e.Label)
		}
	}
	if r.HTML != 0 {
		t.Errorf("label text became %d HTML elements", r.HTML)
	}
	if g.Coverage == nil || len(r.EdgeStyles) != len(g.Edges) {
		return
	}
	for i, e := range g.Edges {
		if e.Never {
			// Never taken: no coverage colour either way.
			if strings.Contains(r.EdgeStyles[i], "#c62828") || strings.Contains(r.EdgeStyles[i], "#2e7d32") {
				t.Errorf("edge %d (%s -> %s, never taken): style %q has a coverage colour", i, e.From, e.To, r.EdgeStyles[i])
			}
			continue
		}
		want := "#c62828"
		if e.Covered {
			want = "#2e7d32"
		}
		if !strings.Contains(r.EdgeStyles[i], want) {
			t.Errorf("edge %d (%s -> %s, covered %v): style %q lacks %s", i, e.From, e.To, e.Covered, r.EdgeStyles[i], want)
		}
	}
}
