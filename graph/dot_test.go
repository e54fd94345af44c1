package graph

import (
	"bytes"
	"encoding/xml"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/internal/browsertest"
)

// TestGraphDOTRendersWithGraphviz runs every DOT golden case through
// Graphviz's dot -Tsvg when it is installed: no errors or warnings, every
// node, cluster and edge drawn, and the labels read back unescaped.
func TestGraphDOTRendersWithGraphviz(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		browsertest.Missing(t, "Graphviz check skipped: dot not found in PATH (Debian package graphviz)")
	}
	for _, tc := range graphGoldenCases() {
		if tc.opts.Format != "dot" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			g, src := renderCase(t, tc)
			var svg, stderr bytes.Buffer
			cmd := exec.Command(dot, "-Tsvg")
			cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(src), &svg, &stderr
			if err := cmd.Run(); err != nil || stderr.Len() > 0 {
				t.Fatalf("dot -Tsvg: %v\n%s\n%s", err, stderr.String(), src)
			}
			r, err := readGraphvizSVG(&svg)
			if err != nil {
				t.Fatal(err)
			}
			if !r.hasText(shortText(g.Title, 80)) {
				t.Errorf("title %q not drawn", g.Title)
			}
			clusters := append([]*Cluster(nil), g.Clusters...)
			if g.Legend != nil {
				clusters = append(clusters, g.Legend)
			}
			nodes := 0
			for _, c := range clusters {
				nodes += len(c.Nodes)
				if !r.hasText(c.Label) {
					t.Errorf("cluster label %q not drawn", c.Label)
				}
				for _, n := range c.Nodes {
					for _, l := range n.Lines {
						if !r.hasText(l) {
							t.Errorf("node %s: label line %q not drawn", n.ID, l)
						}
					}
				}
			}
			for _, e := range g.Edges {
				if e.Label != "" && !r.hasText(e.Label) {
					t.Errorf("edge %s -> %s: label %q not drawn", e.From, e.To, e.Label)
				}
			}
			if r.classes["node"] != nodes || r.classes["cluster"] != len(clusters) || r.classes["edge"] != len(g.Edges) {
				t.Errorf("drawn %d nodes, %d clusters, %d edges; want %d, %d, %d", r.classes["node"], r.classes["cluster"], r.classes["edge"], nodes, len(clusters), len(g.Edges))
			}
		})
	}
}

// graphvizSVG is what a Graphviz SVG holds: the count of groups per class
// and the text lines.
type graphvizSVG struct {
	classes map[string]int
	texts   map[string]bool
}

func (r *graphvizSVG) hasText(s string) bool { return r.texts[strings.TrimSpace(s)] }

func readGraphvizSVG(rd io.Reader) (*graphvizSVG, error) {
	r := &graphvizSVG{classes: map[string]int{}, texts: map[string]bool{}}
	dec := xml.NewDecoder(rd)
	dec.Strict = false
	inText := false
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return r, nil
		}
		if err != nil {
			return nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "g":
				for _, a := range el.Attr {
					if a.Name.Local == "class" {
						r.classes[a.Value]++
					}
				}
			case "text":
				inText = true
				text.Reset()
			}
		case xml.CharData:
			if inText {
				text.Write(el)
			}
		case xml.EndElement:
			if el.Name.Local == "text" {
				inText = false
				r.texts[strings.TrimSpace(text.String())] = true
			}
		}
	}
}
