package schemas

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// CheckNesting refuses a document nested deeper than MaxDepth, or holding
// more than MaxNodes nodes, before any YAML parser sees it: yaml.v3 accepts
// 10,000 levels, goccy/go-yaml (which positions syntax errors) is quadratic
// in depth, and a node costs both parsers and the schema check a few
// hundred bytes, so a small file of brackets, dashes or commas could take
// minutes and gigabytes. The error is a *TooComplexError at the first node
// too deep (more than MaxDepth mappings and sequences around it, the rule
// ToJSON applies to the parsed tree) or past the count.
//
// The scan follows yaml.v3's scanner token by token (flow brackets, block
// indentation and dashes, simple keys, quoted, plain and block scalars,
// comments, anchors, tags, document markers) without building anything, and
// adds what its parser makes without a token of its own: sequences at the
// indentation of their mapping key, the single-pair mappings of [a: b],
// empty values and documents. It never counts fewer levels than yaml.v3
// builds; aliases are not followed (ToJSON bounds them). Time is linear in
// len(src); memory is bounded by MaxDepth.
func CheckNesting(src []byte) error {
	return checkNesting(src, MaxDepth, MaxNodes)
}

func checkNesting(src []byte, depth, nodes int) error {
	s := nestScan{limit: depth, maxNodes: nodes}
	s.run(utf8Source(src))
	if s.failed {
		return &TooComplexError{Line: s.failLine + 1, Col: s.failCol + 1, Reason: s.failReason}
	}
	return nil
}

// utf8Source returns src as UTF-8: yaml.v3 decodes UTF-16 with a byte order
// mark, so the scan must see the same characters.
func utf8Source(src []byte) []byte {
	if !utf16BOM(src) {
		return src
	}
	le := src[0] == 0xFF
	units := make([]uint16, 0, len(src)/2)
	for i := 2; i+1 < len(src); i += 2 {
		if le {
			units = append(units, uint16(src[i])|uint16(src[i+1])<<8)
		} else {
			units = append(units, uint16(src[i])<<8|uint16(src[i+1]))
		}
	}
	out := make([]byte, 0, len(src))
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out
}

// utf16BOM reports whether src starts with a UTF-16 byte order mark.
func utf16BOM(src []byte) bool {
	return len(src) >= 2 && (src[0] == 0xFF && src[1] == 0xFE || src[0] == 0xFE && src[1] == 0xFF)
}

// nestScan mirrors the yaml.v3 scanner state that decides nesting, and
// counts the nodes its parser builds.
type nestScan struct {
	src       []byte
	i         int // byte offset
	line, col int // 0-based; col counts characters, as yaml.v3 does
	limit     int
	maxNodes  int

	blocks  []blockLevel // open block collections, innermost last
	flows   []flowLevel  // open flow collections, innermost last
	depth   int          // collections around the next node
	allowed bool         // yaml.v3's simple_key_allowed
	key     simpleKey    // the possible simple key of the block context

	nodes      int       // nodes so far, documents included
	state      nodeState // the node the last indicator calls for
	pendIndent int       // block indentation when it was called for
	pendValue  bool      // it is a block mapping's value
	question   bool      // a '?' started a block key with no ':' yet
	docOpen    bool
	tokLine    int // line of the last token

	failed            bool
	failLine, failCol int
	failReason        string
	maxSeen           int // deepest node seen (for tests)

	// entryWork sums k over the k-th entries of every mapping: goccy's
	// parser recurses once per entry and copies the entries after it.
	entryWork int

	lineStart int        // byte offset of the current line
	split     *splitScan // records what DecodeSplit needs, when set
}

// nodeState tells whether a node is expected where an indicator put it:
// when the next token is not that node, the node is empty (null).
type nodeState int

const (
	noNode      nodeState = iota
	wantNode              // expected, not counted yet
	nodeCounted           // its anchor or tag was counted; content may follow
)

type blockLevel struct {
	indent     int
	seq        bool
	indentless bool // a sequence at its mapping key's indentation
	entries    int  // of a mapping, so far
}

type flowLevel struct {
	seq     bool
	pair    bool // the current entry of a [...] is a single-pair mapping
	key     simpleKey
	max     int  // deepest node inside, for the keys around it
	keyOnly bool // the current mapping entry has a key and no ':' yet
	colon   bool // the current entry is past its ':'
	entries int  // ':' so far
}

// simpleKey is a node that becomes a mapping key when a ':' follows on
// its line; max is the deepest node seen since it started, which is one
// level deeper once the key opens a mapping.
type simpleKey struct {
	possible  bool
	line, col int
	max       int
}

func (s *nestScan) run(src []byte) {
	s.src = src
	s.allowed = true
	s.maxSeen = -1
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		s.i = 3 // a leading byte order mark is not a character
	}
	for !s.failed {
		s.skipToToken()
		if s.i >= len(s.src) {
			s.endDocument()
			return
		}
		c := s.src[s.i]
		entry := c == '-' && s.blankz(s.i+1)
		if s.state != noNode && len(s.flows) == 0 && s.line != s.tokLine &&
			(s.col < s.pendIndent || s.col == s.pendIndent && !(entry && s.pendValue)) {
			s.flush() // the expected node was empty
		}
		s.tokLine = s.line
		if len(s.flows) == 0 {
			s.unroll(s.col)
		}
		if s.col == 0 && c == '%' {
			s.noSplit() // tag directives apply to the whole document
			s.unroll(-1)
			s.key.possible = false
			s.allowed = false
			s.skipLine()
			continue
		}
		if s.col == 0 && (s.marker('-') || s.marker('.')) {
			s.endDocument()
			s.unroll(-1)
			s.curKey().possible = false
			s.allowed = false
			if c == '-' { // a document begins; its content is expected
				s.count(s.line, s.col)
				s.docOpen = true
				s.expect(false)
			}
			s.i += 3
			s.col += 3
			continue
		}
		if !s.docOpen {
			s.docOpen = true
			s.count(s.line, s.col) // an implicit document
		}
		if n := len(s.blocks); len(s.flows) == 0 && n > 0 && s.blocks[n-1].indentless && s.blocks[n-1].indent == s.col && !entry {
			s.pop() // yaml.v3's parser ends the sequence at its mapping's next key
		}
		s.dispatch(c, entry)
	}
}

// dispatch handles the token at s.i, which starts with c.
func (s *nestScan) dispatch(c byte, entry bool) {
	switch {
	case c == '[' || c == '{':
		s.saveKey()
		if !s.nodeToken() {
			return
		}
		s.flows = append(s.flows, flowLevel{seq: c == '[', max: -1})
		s.depth++
		s.allowed = true
		s.advance()
	case c == ']' || c == '}':
		s.endEntry()
		s.closeFlow()
		s.allowed = false
		s.advance()
	case c == ',':
		s.endEntry()
		s.curKey().possible = false
		if n := len(s.flows); n > 0 && s.flows[n-1].pair {
			s.flows[n-1].pair = false
			s.depth--
		}
		s.allowed = true
		s.advance()
	case entry:
		if len(s.flows) == 0 {
			n := len(s.blocks)
			switch {
			case s.indent() < s.col:
				s.push(blockLevel{indent: s.col, seq: true})
			case n > 0 && s.blocks[n-1].indent == s.col && !s.blocks[n-1].seq:
				s.push(blockLevel{indent: s.col, seq: true, indentless: true})
			default:
				s.flush() // the previous entry was empty
			}
			s.expect(false)
			s.splitEntry()
		}
		s.curKey().possible = false
		s.allowed = true
		s.node(s.line, s.col) // the entry, perhaps empty
		s.advance()
	case c == '?' && (len(s.flows) > 0 || s.blankz(s.i+1)):
		if len(s.flows) > 0 || s.indent() >= s.col {
			s.flush() // else the mapping is the node called for
		}
		s.emptyValue()
		s.openMapping(s.line, s.col)
		if n := len(s.flows); n > 0 {
			s.flows[n-1].keyOnly = true // the key, perhaps empty, has a value, perhaps empty
		}
		s.expect(false)
		s.question = len(s.flows) == 0
		s.curKey().possible = false
		s.allowed = len(s.flows) == 0
		s.node(s.line, s.col) // the key, perhaps empty
		s.advance()
	case c == ':' && (len(s.flows) > 0 || s.blankz(s.i+1)):
		s.value()
		s.node(s.line, s.col) // the value, perhaps empty
		s.advance()
	case c == '*':
		s.noSplit()
		s.saveKey()
		s.nodeToken()
		s.allowed = false
		s.advance()
		s.skipWhile(isAlpha)
	case c == '&' || c == '!':
		if c == '&' {
			s.noSplit()
		}
		s.saveKey()
		s.properties()
		s.allowed = false
		s.advance()
		switch {
		case c == '&':
			s.skipWhile(isAlpha)
		case s.i < len(s.src) && s.src[s.i] == '<': // verbatim: !<uri>
			s.advance()
			s.skipWhile(isURIChar)
			if s.i < len(s.src) && s.src[s.i] == '>' {
				s.advance()
			}
		default:
			s.skipWhile(isURIChar) // handle and suffix
		}
	case (c == '|' || c == '>') && len(s.flows) == 0:
		s.curKey().possible = false
		s.nodeToken()
		s.allowed = true
		s.blockScalar()
	case c == '\'' || c == '"':
		s.saveKey()
		s.nodeToken()
		s.allowed = false
		s.quoted(c)
	default:
		s.saveKey()
		s.nodeToken()
		s.allowed = false
		s.plain()
	}
}

// count adds a node; it fails past maxNodes.
func (s *nestScan) count(line, col int) bool {
	if s.nodes++; s.nodes > s.maxNodes && !s.failed {
		s.failed, s.failLine, s.failCol = true, line, col
		s.failReason = fmt.Sprintf("more than %d nodes", s.maxNodes)
	}
	return !s.failed
}

// expect records that an indicator calls for a node here.
func (s *nestScan) expect(value bool) {
	s.state, s.pendIndent, s.pendValue = wantNode, s.indent(), value
}

// flush counts the node called for and not given: an empty one.
func (s *nestScan) flush() {
	if s.state == wantNode {
		s.count(s.line, s.col)
	}
	s.state = noNode
}

// nodeToken counts a scalar, alias or flow collection at s.i (unless its
// anchor or tag counted it) and checks its depth.
func (s *nestScan) nodeToken() bool {
	if s.state != nodeCounted && !s.count(s.line, s.col) {
		return false
	}
	s.state = noNode
	s.markKey()
	return s.node(s.line, s.col)
}

// properties counts the node an anchor or tag starts.
func (s *nestScan) properties() {
	if s.state != nodeCounted {
		if s.state == noNode {
			s.pendIndent, s.pendValue = s.indent(), false
		}
		s.count(s.line, s.col)
		s.state = nodeCounted
		s.markKey()
	}
	s.node(s.line, s.col)
}

// markKey notes a key in a flow mapping entry (or single pair) before its
// ':'; an entry that ends without one has an empty value.
func (s *nestScan) markKey() {
	if n := len(s.flows); n > 0 {
		if f := &s.flows[n-1]; (!f.seq || f.pair) && !f.colon {
			f.keyOnly = true
		}
	}
}

// endEntry ends a flow entry at ',', ']' or '}'.
func (s *nestScan) endEntry() {
	s.flush()
	if n := len(s.flows); n > 0 {
		f := &s.flows[n-1]
		if f.keyOnly {
			s.count(s.line, s.col) // the key's empty value
		}
		f.keyOnly, f.colon = false, false
	}
}

// emptyValue counts the empty value of a block key given with '?' and no
// ':' before the next key.
func (s *nestScan) emptyValue() {
	if s.question {
		s.question = false
		s.count(s.line, s.col)
	}
}

// endDocument ends a document at a marker or the end of the stream.
func (s *nestScan) endDocument() {
	s.flush()
	s.emptyValue()
	for n := len(s.flows); n > 0; n-- {
		if s.flows[n-1].keyOnly {
			s.count(s.line, s.col)
		}
	}
	s.docOpen = false
}

// node checks the depth of a node at line:col.
func (s *nestScan) node(line, col int) bool {
	return s.nodeAt(s.depth, line, col)
}

func (s *nestScan) nodeAt(d, line, col int) bool {
	if s.failed {
		return false
	}
	if d > s.limit {
		s.failed, s.failLine, s.failCol = true, line, col
		s.failReason = fmt.Sprintf("nested deeper than %d levels", s.limit)
		return false
	}
	s.maxSeen = max(s.maxSeen, d)
	if k := s.curKey(); k.possible {
		k.max = max(k.max, d)
	}
	if n := len(s.flows); n > 0 {
		s.flows[n-1].max = max(s.flows[n-1].max, d)
	}
	return true
}

func (s *nestScan) curKey() *simpleKey {
	if n := len(s.flows); n > 0 {
		return &s.flows[n-1].key
	}
	return &s.key
}

func (s *nestScan) saveKey() {
	if s.allowed {
		*s.curKey() = simpleKey{possible: true, line: s.line, col: s.col, max: -1}
	}
}

// indent is yaml.v3's current block indentation (-1 outside any).
func (s *nestScan) indent() int {
	if n := len(s.blocks); n > 0 {
		return s.blocks[n-1].indent
	}
	return -1
}

// push opens a block collection at s.line:s.col: a node at the current
// depth, the one called for (or the one its anchor or tag counted).
func (s *nestScan) push(b blockLevel) {
	if s.state != nodeCounted && !s.count(s.line, s.col) {
		return
	}
	s.state = noNode
	if s.node(s.line, s.col) {
		s.blocks = append(s.blocks, b)
		s.depth++
	}
}

func (s *nestScan) pop() {
	s.splitClosed(len(s.blocks) - 1)
	s.blocks = s.blocks[:len(s.blocks)-1]
	s.depth--
}

// unroll closes the block collections indented deeper than col.
func (s *nestScan) unroll(col int) {
	for n := len(s.blocks); n > 0 && s.blocks[n-1].indent > col; n-- {
		s.pop()
	}
}

func (s *nestScan) closeFlow() {
	s.curKey().possible = false
	n := len(s.flows)
	if n == 0 {
		return
	}
	f := s.flows[n-1]
	s.flows = s.flows[:n-1]
	s.depth--
	if f.pair {
		s.depth--
	}
	// What was inside counts for the keys and collections around it.
	if f.max >= 0 {
		if k := s.curKey(); k.possible {
			k.max = max(k.max, f.max)
		}
		if n > 1 {
			s.flows[n-2].max = max(s.flows[n-2].max, f.max)
		}
	}
}

// openMapping starts a mapping for a key that has no simple key before it
// ('?', or ':' after a key on an earlier line): a single pair in a flow
// sequence, a block mapping where the column is deeper than the block.
func (s *nestScan) openMapping(line, col int) {
	if n := len(s.flows); n > 0 {
		if f := &s.flows[n-1]; f.seq && !f.pair && s.count(line, col) && s.node(line, col) {
			f.pair = true
			s.depth++
		}
		return
	}
	if s.indent() < col {
		s.push(blockLevel{indent: col})
	}
}

// value handles a ':' value indicator and calls for the value.
func (s *nestScan) value() {
	defer func() {
		if n := len(s.flows); n > 0 {
			f := &s.flows[n-1]
			f.keyOnly, f.colon = false, true
			f.entries++
			s.entryWork += f.entries
		} else if n := len(s.blocks); n > 0 {
			s.blocks[n-1].entries++
			s.entryWork += s.blocks[n-1].entries
		}
		s.expect(len(s.flows) == 0)
	}()
	k := s.curKey()
	if !k.possible || k.line != s.line {
		// A key on an earlier line, after '?', or none: an empty one.
		s.flush()
		if n := len(s.flows); n > 0 && !s.flows[n-1].keyOnly || n == 0 && !s.question {
			s.count(s.line, s.col)
		}
		s.question = false
		s.openMapping(s.line, s.col)
		s.allowed = len(s.flows) == 0
		return
	}
	key := *k
	k.possible = false
	s.allowed = false
	if len(s.flows) == 0 {
		s.emptyValue() // of an earlier '?' key
	}
	opened := false
	if n := len(s.flows); n > 0 {
		if f := &s.flows[n-1]; f.seq && !f.pair {
			f.pair = true
			opened = s.count(key.line, key.col)
		}
	} else if s.indent() < key.col && s.count(key.line, key.col) {
		s.blocks = append(s.blocks, blockLevel{indent: key.col})
		opened = true
	}
	if !opened {
		return
	}
	s.depth++
	// The key and everything in it are one level deeper than when they
	// were scanned.
	s.nodeAt(max(key.max, s.depth-1)+1, key.line, key.col)
}
