package schemas

import (
	"bytes"
	"runtime"
	"sync"

	"gopkg.in/yaml.v3"
)

// Decoded is a source's first YAML document and what yaml.v3 says of what
// follows it: what two calls of Decode on NewDecoder's decoder give.
type Decoded struct {
	Doc, Extra       yaml.Node
	DocErr, ExtraErr error // yaml.v3's (Doc's io.EOF: no document)
}

// splitFrom is the size of a source from which Decode decodes its longest
// block sequence in parts, on every core.
var splitFrom = 256 << 10

// minSplitEntries is the fewest entries a sequence needs to be split.
var minSplitEntries = 64

// Decode decodes the first document of src and what follows it, once the
// nesting check passes src (else the error is its *TooComplexError). A
// large source's longest block sequence (a flow's blocks, say) is decoded
// in parts on every core, each part as a document of its own that starts
// on the line of its first entry (preceded by as many line breaks, so
// that positions stay the same), the rest of the document with the
// sequence blanked out; the parts' entries then replace the blank. Only a
// sequence whose entries each start a line, in a document without
// anchors, aliases and directives, is split; whatever does not decode as
// expected is decoded again whole, so errors are yaml.v3's own. The
// result is the tree yaml.v3 decodes from src, comments aside (flowctl
// reads none).
func Decode(src []byte) (*Decoded, error) {
	var sp *splitScan
	if len(src) >= splitFrom && runtime.GOMAXPROCS(0) > 1 && !utf16BOM(src) {
		sp = &splitScan{}
	}
	s := nestScan{limit: MaxDepth, maxNodes: MaxNodes, split: sp}
	s.run(utf8Source(src))
	if s.failed {
		return nil, &TooComplexError{Line: s.failLine + 1, Col: s.failCol + 1, Reason: s.failReason}
	}
	if sp != nil {
		s.splitFinish()
		if !sp.off && len(sp.best.starts) >= minSplitEntries {
			if d, ok := decodeSplit(src, &sp.best); ok {
				return d, nil
			}
		}
	}
	return decodeWhole(src), nil
}

func decodeWhole(src []byte) *Decoded {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	d := &Decoded{}
	if d.DocErr = dec.Decode(&d.Doc); d.DocErr == nil {
		d.ExtraErr = dec.Decode(&d.Extra)
	}
	return d
}

// decodeSplit decodes src with the sequence r in parts; false when a part
// or the rest does not decode as it must (then src is decoded whole).
func decodeSplit(src []byte, r *seqRecord) (d *Decoded, ok bool) {
	n := len(r.starts)
	parts := min(2*runtime.GOMAXPROCS(0), n/(minSplitEntries/2))
	items := make([][]*yaml.Node, parts)
	okParts := make([]bool, parts)
	var wg sync.WaitGroup
	for k := range parts {
		first, last := k*n/parts, (k+1)*n/parts
		wg.Go(func() {
			defer func() { _ = recover() }() // a panic is a part that did not decode
			items[k], okParts[k] = decodePart(src, r, first, last)
		})
	}
	var seq *yaml.Node
	func() {
		defer func() { _ = recover() }()
		d = decodeWhole(skeleton(src, r))
		if d.DocErr == nil {
			seq = findSequence(&d.Doc, r.lines[0]+1, r.col+1, 0)
		}
	}()
	wg.Wait()
	if seq == nil || len(seq.Content) != 1 {
		return nil, false
	}
	all := make([]*yaml.Node, 0, n)
	for k := range parts {
		if !okParts[k] {
			return nil, false
		}
		all = append(all, items[k]...)
	}
	seq.Content = all
	if splitDone != nil {
		splitDone()
	}
	return d, true
}

// splitDone, when set (by tests), is called for each split decode.
var splitDone func()

// decodePart decodes entries first to last-1 of r as a document of their
// own, positioned as in src.
func decodePart(src []byte, r *seqRecord, first, last int) ([]*yaml.Node, bool) {
	end := r.end
	if last < len(r.starts) {
		end = r.dashes[last]
	}
	text := make([]byte, r.lines[first], r.lines[first]+end-r.starts[first])
	for i := range text {
		text[i] = '\n'
	}
	text = append(text, src[r.starts[first]:end]...)
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(text)).Decode(&doc); err != nil {
		return nil, false
	}
	if len(doc.Content) != 1 {
		return nil, false
	}
	seq := doc.Content[0]
	if seq.Kind != yaml.SequenceNode || seq.Line != r.lines[first]+1 || seq.Column != r.col+1 || len(seq.Content) != last-first {
		return nil, false
	}
	return seq.Content, true
}

// skeleton is src with the sequence r blanked out but for a dash where its
// first entry starts: a sequence of one empty entry, at the same position.
// Line breaks stay, so every line keeps its number.
func skeleton(src []byte, r *seqRecord) []byte {
	out := bytes.Clone(src)
	for i := r.starts[0]; i < r.end; {
		if l := breakLen(out, i); l > 0 {
			i += l
			continue
		}
		out[i] = ' '
		i++
	}
	out[r.starts[0]+r.col] = '-'
	return out
}

// breakLen is the length of the line break at b[i] (CR LF counts as two
// one-byte breaks here, as both stay), or 0.
func breakLen(b []byte, i int) int {
	switch b[i] {
	case '\r', '\n':
		return 1
	case 0xC2:
		if i+1 < len(b) && b[i+1] == 0x85 {
			return 2
		}
	case 0xE2:
		if i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

// findSequence finds the sequence node at line:col.
func findSequence(n *yaml.Node, line, col, depth int) *yaml.Node {
	if n == nil || depth > MaxDepth || n.Line > line {
		return nil
	}
	if n.Kind == yaml.SequenceNode && n.Line == line && n.Column == col {
		return n
	}
	for _, c := range n.Content {
		if found := findSequence(c, line, col, depth+1); found != nil {
			return found
		}
	}
	return nil
}
