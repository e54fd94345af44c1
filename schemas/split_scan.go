package schemas

// What the nesting scan records for DecodeSplit: the block sequences whose
// entries each start a line, where each entry starts and where the
// sequence ends, as yaml.v3's scanner sees them (the scan follows it token
// by token), so that the entries can be decoded apart.

// maxSplitLevel is the deepest block collection whose sequences are
// recorded (a flow's blocks are the fourth: the file, flows, the flow).
const maxSplitLevel = 4

// splitScan is the record of one scan.
type splitScan struct {
	open [maxSplitLevel + 1]*seqRecord // by block level
	best seqRecord                     // the recorded sequence with the most entries
	off  bool                          // anchors, aliases or directives: no split
}

// seqRecord is a block sequence: where its entries' lines start, their
// dashes and their lines, and where the token after it starts. (A part of
// the sequence decoded alone ends where the next token starts, so that an
// empty node at its end is where yaml.v3 puts it in the whole document:
// at that token.)
type seqRecord struct {
	col    int
	starts []int
	dashes []int
	lines  []int
	end    int
	ok     bool // each entry, and the token that ends it, starts its line
}

func (s *nestScan) noSplit() {
	if s.split != nil {
		s.split.off = true
	}
}

// lineLeads reports whether the token at s.i is the first of its line,
// after spaces only.
func (s *nestScan) lineLeads() bool {
	for _, b := range s.src[s.lineStart:s.i] {
		if b != ' ' {
			return false
		}
	}
	return true
}

// splitEntry records the block sequence entry at s.i (after its level is
// pushed).
func (s *nestScan) splitEntry() {
	sp := s.split
	n := len(s.blocks)
	if sp == nil || sp.off || n == 0 || n-1 > maxSplitLevel {
		return
	}
	top := s.blocks[n-1]
	if !top.seq || top.indent != s.col {
		return
	}
	r := sp.open[n-1]
	if r == nil {
		r = &seqRecord{col: s.col, ok: true}
		sp.open[n-1] = r
	}
	if !s.lineLeads() {
		r.ok = false
		return
	}
	r.starts = append(r.starts, s.lineStart)
	r.dashes = append(r.dashes, s.i)
	r.lines = append(r.lines, s.line)
}

// splitClosed ends the record of the sequence at level, which the token at
// s.i closes (or the end of the source, when s.i is past it).
func (s *nestScan) splitClosed(level int) {
	sp := s.split
	if sp == nil || level > maxSplitLevel || sp.open[level] == nil {
		return
	}
	r := sp.open[level]
	sp.open[level] = nil
	r.end = len(s.src)
	if s.i < len(s.src) {
		if !s.lineLeads() {
			return
		}
		r.end = s.i
	}
	if r.ok && len(r.starts) > len(sp.best.starts) {
		sp.best = *r
	}
}

// splitFinish closes the sequences still open at the end of the source.
func (s *nestScan) splitFinish() {
	if s.split == nil {
		return
	}
	for level := maxSplitLevel; level >= 0; level-- {
		s.splitClosed(level)
	}
}
