package schemas

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/flowctl/flowctl/internal/flowgen"
	"gopkg.in/yaml.v3"
)

// sameTree reports where two trees differ in anything flowctl reads (all
// but comments), or "".
func sameTree(a, b *yaml.Node, path string) string {
	switch {
	case a == nil && b == nil:
		return ""
	case a == nil || b == nil:
		return path + ": one is nil"
	case a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Anchor != b.Anchor:
		return fmt.Sprintf("%s: %v %v %q %q %q vs %v %v %q %q %q", path, a.Kind, a.Style, a.Tag, a.Value, a.Anchor, b.Kind, b.Style, b.Tag, b.Value, b.Anchor)
	case a.Line != b.Line || a.Column != b.Column:
		return fmt.Sprintf("%s: at %d:%d vs %d:%d", path, a.Line, a.Column, b.Line, b.Column)
	case (a.Alias == nil) != (b.Alias == nil):
		return path + ": alias"
	case len(a.Content) != len(b.Content):
		return fmt.Sprintf("%s: %d vs %d children", path, len(a.Content), len(b.Content))
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// splitEverything makes Decode split every sequence it can, and counts
// the splits.
func splitEverything(t testing.TB) *atomic.Int64 {
	var n atomic.Int64
	oldFrom, oldMin, oldDone := splitFrom, minSplitEntries, splitDone
	splitFrom, minSplitEntries, splitDone = 0, 2, func() { n.Add(1) }
	t.Cleanup(func() { splitFrom, minSplitEntries, splitDone = oldFrom, oldMin, oldDone })
	return &n
}

// compareSplit fails when Decode, splitting, gives other than decoding
// whole gives.
func compareSplit(t *testing.T, name string, src []byte) {
	t.Helper()
	if CheckNesting(src) != nil {
		return
	}
	whole := decodeWhole(src)
	got, err := Decode(src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if fmt.Sprint(got.DocErr) != fmt.Sprint(whole.DocErr) || fmt.Sprint(got.ExtraErr) != fmt.Sprint(whole.ExtraErr) {
		t.Errorf("%s: errors %v, %v; whole %v, %v", name, got.DocErr, got.ExtraErr, whole.DocErr, whole.ExtraErr)
		return
	}
	if d := sameTree(&got.Doc, &whole.Doc, "doc"); d != "" {
		t.Errorf("%s: %s\n%s", name, d, src)
	}
	if d := sameTree(&got.Extra, &whole.Extra, "extra"); d != "" {
		t.Errorf("%s: %s", name, d)
	}
}

// splitCases are documents whose sequences a careless split would cut
// wrong.
var splitCases = []string{
	"a:\n  - x\n  - y\n  - z\nb: 1\n",
	"a:\n- x\n- y\n- z\nb: 1\n",                // indentless
	"- a\n- b\n- c\n",                          // the document itself
	"- - a\n  - b\n- - c\n  - d\n",             // nested on one line
	"a:\n  - \"one\n  - two\"\n  - x\n  - y\n", // a quoted scalar over lines that look like entries
	"a:\n  - 'one\n  - two'\n  - x\n",
	"a:\n  - plain\n    - continued\n  - x\n",
	"a:\n  - |\n    - not an entry\n    - nor this\n  - x\n  - >+\n    kept\n\n\n  - y\n",
	"a:\n  - [x,\n  - y]\n  - z\n",
	"a:\n  - {k: v,\n  - w: 1}\n  - z\n",
	"a:\n  # comment\n  - x\n  # - not an entry\n  - y\n# trailing\nb:\n  - 1\n",
	"a:\r\n  - x\r\n  - y\r\n  - z\r\n",
	"a:\n  - x\u2028  - y\n  - z\n",
	"a:\n  - x\n  -\n    k: v\n  -\n  - y\n",
	"a:\n  - k: v\n    l:\n    - 1\n    - 2\n  - m: n\n",
	"a:\n  - x\n  - y\n---\nb:\n  - 1\n  - 2\n",
	"a:\n  - x\n  - y\n...\n",
	"a:\n  - !!str x\n  - !t y\n  - !!int 3\n",
	"a:\n  - x\n\t- y\n",           // a tab: an error
	"a:\n  - x\n  - y: [\n  - z\n", // unclosed
	"a:\n  - x\n   - y\n  - z\n",   // odd indentation
	"a:\n  - ? k\n    : v\n  - x\n",
	"a: &s\n  - x\n  - y\nb: *s\n", // aliases: not split
	"%YAML 1.2\n---\na:\n  - x\n  - y\n",
}

// TestDecodeSplit: decoding a long sequence in parts gives the tree of
// decoding it whole, for the project's YAML files, generated flows and
// documents made to trip a split.
func TestDecodeSplit(t *testing.T) {
	splits := splitEverything(t)
	for i, c := range splitCases {
		compareSplit(t, fmt.Sprintf("case %d", i), []byte(c))
	}
	for name, src := range corpus(t) {
		compareSplit(t, name, src)
	}
	for _, n := range []int{2, 70, 500} {
		compareSplit(t, fmt.Sprintf("flowgen %d", n), flowgen.Flow(n, nil))
		compareSplit(t, fmt.Sprintf("growing %d", n), flowgen.Growing(n))
	}
	if splits.Load() < 50 {
		t.Errorf("only %d documents were split", splits.Load())
	}
}

// TestDecodeSplitDefault: a large flow is split without any test setting,
// and a small one is not.
func TestDecodeSplitDefault(t *testing.T) {
	var n atomic.Int64
	old := splitDone
	splitDone = func() { n.Add(1) }
	defer func() { splitDone = old }()
	if _, err := Decode(flowgen.Flow(3000, nil)); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 1 {
		t.Errorf("%d splits of a 3,000-block flow, want 1", n.Load())
	}
	if _, err := Decode(flowgen.Flow(100, nil)); err != nil || n.Load() != 1 {
		t.Errorf("a 100-block flow was split (%v)", err)
	}
}

// FuzzDecodeSplit: whatever the document, decoding in parts gives the
// tree (or the error) of decoding whole.
func FuzzDecodeSplit(f *testing.F) {
	for _, c := range splitCases {
		f.Add([]byte(c))
	}
	f.Add([]byte(strings.Join(strings.Split(string(flowgen.Flow(12, nil)), "\n")[:40], "\n")))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 4096 {
			return
		}
		splitEverything(t)
		compareSplit(t, "fuzz", src)
	})
}
