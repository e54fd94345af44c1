package schemas

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// CheckNesting refuses a document nested deeper than MaxDepth before any
// YAML parser sees it: yaml.v3 accepts 10,000 levels and goccy/go-yaml
// (which positions syntax errors) is quadratic in depth, so a small file of
// brackets or dashes could take minutes and gigabytes. The error is a
// *TooComplexError at the first node that has more than MaxDepth mappings
// and sequences around it, the same rule ToJSON applies to the parsed tree.
//
// The scan follows yaml.v3's scanner token by token (flow brackets, block
// indentation and dashes, simple keys, quoted, plain and block scalars,
// comments, anchors, tags, document markers) without building anything, and
// adds the levels its parser makes without a token of their own: sequences
// at the indentation of their mapping key and the single-pair mappings of
// [a: b]. It never counts fewer levels than yaml.v3 builds; aliases are not
// followed (ToJSON bounds them). Time is linear in len(src); memory is
// bounded by MaxDepth.
func CheckNesting(src []byte) error {
	return checkNesting(src, MaxDepth)
}

func checkNesting(src []byte, limit int) error {
	s := nestScan{limit: limit}
	s.run(utf8Source(src))
	if s.failed {
		return &TooComplexError{Line: s.failLine + 1, Col: s.failCol + 1, Reason: fmt.Sprintf("nested deeper than %d levels", limit)}
	}
	return nil
}

// utf8Source returns src as UTF-8: yaml.v3 decodes UTF-16 with a byte order
// mark, so the scan must see the same characters.
func utf8Source(src []byte) []byte {
	le := len(src) >= 2 && src[0] == 0xFF && src[1] == 0xFE
	be := len(src) >= 2 && src[0] == 0xFE && src[1] == 0xFF
	if !le && !be {
		return src
	}
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

// nestScan mirrors yaml.v3's scanner state that decides nesting.
type nestScan struct {
	src       []byte
	i         int // byte offset
	line, col int // 0-based; col counts characters, as yaml.v3 does
	limit     int

	blocks  []blockLevel // open block collections, innermost last
	flows   []flowLevel  // open flow collections, innermost last
	depth   int          // collections around the next node
	allowed bool         // yaml.v3's simple_key_allowed
	key     simpleKey    // the possible simple key of the block context

	failed            bool
	failLine, failCol int
	maxSeen           int // deepest node seen (for tests)
}

type blockLevel struct {
	indent     int
	seq        bool
	indentless bool // a sequence at its mapping key's indentation
}

type flowLevel struct {
	seq  bool
	pair bool // the current entry of a [...] is a single-pair mapping
	key  simpleKey
	max  int // deepest node inside, for the keys around it
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
			return
		}
		if len(s.flows) == 0 {
			s.unroll(s.col)
		}
		c := s.src[s.i]
		if s.col == 0 && c == '%' {
			s.unroll(-1)
			s.key.possible = false
			s.allowed = false
			s.skipLine()
			continue
		}
		if s.col == 0 && (s.marker('-') || s.marker('.')) {
			s.unroll(-1)
			s.curKey().possible = false
			s.allowed = false
			s.i += 3
			s.col += 3
			continue
		}
		entry := c == '-' && s.blankz(s.i+1)
		if n := len(s.blocks); len(s.flows) == 0 && n > 0 && s.blocks[n-1].indentless && s.blocks[n-1].indent == s.col && !entry {
			s.pop() // yaml.v3's parser ends the sequence at its mapping's next key
		}
		switch {
		case c == '[' || c == '{':
			s.saveKey()
			if !s.node(s.line, s.col) {
				return
			}
			s.flows = append(s.flows, flowLevel{seq: c == '[', max: -1})
			s.depth++
			s.allowed = true
			s.advance()
		case c == ']' || c == '}':
			s.closeFlow()
			s.allowed = false
			s.advance()
		case c == ',':
			s.curKey().possible = false
			if n := len(s.flows); n > 0 && s.flows[n-1].pair {
				s.flows[n-1].pair = false
				s.depth--
			}
			s.allowed = true
			s.advance()
		case entry:
			if len(s.flows) == 0 {
				if n := len(s.blocks); s.indent() < s.col {
					s.push(blockLevel{indent: s.col, seq: true})
				} else if n > 0 && s.blocks[n-1].indent == s.col && !s.blocks[n-1].seq {
					s.push(blockLevel{indent: s.col, seq: true, indentless: true})
				}
			}
			s.curKey().possible = false
			s.allowed = true
			s.node(s.line, s.col) // the entry, perhaps empty
			s.advance()
		case c == '?' && (len(s.flows) > 0 || s.blankz(s.i+1)):
			s.openMapping(s.line, s.col)
			s.curKey().possible = false
			s.allowed = len(s.flows) == 0
			s.node(s.line, s.col) // the key, perhaps empty
			s.advance()
		case c == ':' && (len(s.flows) > 0 || s.blankz(s.i+1)):
			s.value()
			s.node(s.line, s.col) // the value, perhaps empty
			s.advance()
		case c == '*' || c == '&':
			s.saveKey()
			s.node(s.line, s.col)
			s.allowed = false
			s.advance()
			s.skipWhile(isAlpha)
		case c == '!':
			s.saveKey()
			s.node(s.line, s.col)
			s.allowed = false
			s.advance()
			if s.i < len(s.src) && s.src[s.i] == '<' { // verbatim: !<uri>
				s.advance()
				s.skipWhile(isURIChar)
				if s.i < len(s.src) && s.src[s.i] == '>' {
					s.advance()
				}
			} else {
				s.skipWhile(isURIChar) // handle and suffix
			}
		case (c == '|' || c == '>') && len(s.flows) == 0:
			s.curKey().possible = false
			s.node(s.line, s.col)
			s.allowed = true
			s.blockScalar()
		case c == '\'' || c == '"':
			s.saveKey()
			s.node(s.line, s.col)
			s.allowed = false
			s.quoted(c)
		default:
			s.saveKey()
			s.node(s.line, s.col)
			s.allowed = false
			s.plain()
		}
	}
}

// node records a node at the current depth; it fails when the node is too
// deep.
func (s *nestScan) node(line, col int) bool {
	return s.nodeAt(s.depth, line, col)
}

func (s *nestScan) nodeAt(d, line, col int) bool {
	if s.failed {
		return false
	}
	if d > s.limit {
		s.failed, s.failLine, s.failCol = true, line, col
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

// push opens a block collection; the collection itself is a node at the
// current depth.
func (s *nestScan) push(b blockLevel) {
	if s.node(s.line, s.col) {
		s.blocks = append(s.blocks, b)
		s.depth++
	}
}

func (s *nestScan) pop() {
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
// ('?', or ':' after a key on an earlier line).
func (s *nestScan) openMapping(line, col int) {
	if n := len(s.flows); n > 0 {
		if f := &s.flows[n-1]; f.seq && !f.pair && s.node(line, col) {
			f.pair = true
			s.depth++
		}
		return
	}
	if s.indent() < col {
		s.push(blockLevel{indent: col})
	}
}

// value handles a ':' value indicator.
func (s *nestScan) value() {
	k := s.curKey()
	if !k.possible || k.line != s.line {
		s.openMapping(s.line, s.col)
		s.allowed = len(s.flows) == 0
		return
	}
	key := *k
	k.possible = false
	s.allowed = false
	opened := false
	if n := len(s.flows); n > 0 {
		if f := &s.flows[n-1]; f.seq && !f.pair {
			f.pair = true
			opened = true
		}
	} else if s.indent() < key.col {
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

// skipToToken skips white space, comments and line breaks.
func (s *nestScan) skipToToken() {
	for s.i < len(s.src) {
		if s.col == 0 && s.bom() {
			s.i += 3
			s.col++
		}
		for s.i < len(s.src) && (s.src[s.i] == ' ' || s.src[s.i] == '\t') {
			s.i++
			s.col++
		}
		if s.i < len(s.src) && s.src[s.i] == '#' {
			for s.i < len(s.src) && !s.isBreak(s.i) {
				s.advance()
			}
		}
		if s.i >= len(s.src) || !s.isBreak(s.i) {
			return
		}
		s.newline()
		if len(s.flows) == 0 {
			s.allowed = true
		}
	}
}

// plain skips a plain scalar as yaml.v3 scans it.
func (s *nestScan) plain() {
	start := s.i
	indent := s.indent() + 1
	leading := false
	for s.i < len(s.src) {
		if s.col == 0 && (s.marker('-') || s.marker('.')) {
			break
		}
		if s.src[s.i] == '#' {
			break
		}
		for s.i < len(s.src) && !s.blankz(s.i) {
			c := s.src[s.i]
			if c == ':' && s.blankz(s.i+1) {
				break
			}
			if len(s.flows) > 0 && (c == ',' || c == '?' || c == '[' || c == ']' || c == '{' || c == '}') {
				break
			}
			s.advance()
		}
		if s.i >= len(s.src) || !(s.src[s.i] == ' ' || s.src[s.i] == '\t' || s.isBreak(s.i)) {
			break
		}
		for s.i < len(s.src) && (s.src[s.i] == ' ' || s.src[s.i] == '\t' || s.isBreak(s.i)) {
			if s.isBreak(s.i) {
				s.newline()
				leading = true
			} else {
				s.i++
				s.col++
			}
		}
		if len(s.flows) == 0 && s.col < indent {
			break
		}
	}
	if s.i == start {
		s.advance() // a character yaml.v3 rejects: step over it
	}
	if leading {
		s.allowed = true
	}
}

// quoted skips a single- or double-quoted scalar. A document marker ends it
// (yaml.v3 stops there with an error).
func (s *nestScan) quoted(q byte) {
	s.advance()
	for s.i < len(s.src) {
		if s.col == 0 && (s.marker('-') || s.marker('.')) {
			return
		}
		c := s.src[s.i]
		switch {
		case c == q && q == '\'' && s.i+1 < len(s.src) && s.src[s.i+1] == '\'':
			s.i += 2
			s.col += 2
		case c == q:
			s.advance()
			return
		case c == '\\' && q == '"':
			s.advance()
			if s.i < len(s.src) {
				if s.isBreak(s.i) {
					s.newline()
				} else {
					s.advance()
				}
			}
		case s.isBreak(s.i):
			s.newline()
		default:
			s.advance()
		}
	}
}

// blockScalar skips a literal or folded scalar with yaml.v3's rules for its
// indentation. Where yaml.v3 would fail, the rest is scanned as structure.
func (s *nestScan) blockScalar() {
	s.advance()
	increment := 0
	for range 2 {
		if s.i >= len(s.src) {
			break
		}
		c := s.src[s.i]
		if c == '+' || c == '-' {
			s.advance()
		} else if c >= '1' && c <= '9' && increment == 0 {
			increment = int(c - '0')
			s.advance()
		}
	}
	for s.i < len(s.src) && (s.src[s.i] == ' ' || s.src[s.i] == '\t') {
		s.i++
		s.col++
	}
	if s.i < len(s.src) && s.src[s.i] == '#' {
		for s.i < len(s.src) && !s.isBreak(s.i) {
			s.advance()
		}
	}
	if s.i >= len(s.src) {
		return
	}
	if !s.isBreak(s.i) {
		return
	}
	s.newline()
	indent := 0
	if increment > 0 {
		indent = increment
		if s.indent() >= 0 {
			indent += s.indent()
		}
	}
	if !s.blockBreaks(&indent) {
		return
	}
	for s.i < len(s.src) && s.col == indent {
		for s.i < len(s.src) && !s.isBreak(s.i) {
			s.i++ // content: only line breaks matter
		}
		if s.i < len(s.src) {
			s.newline()
		}
		if !s.blockBreaks(&indent) {
			return
		}
	}
}

// blockBreaks skips the indentation and empty lines of a block scalar and
// settles its indentation; false where yaml.v3 reports a tab.
func (s *nestScan) blockBreaks(indent *int) bool {
	maxIndent := 0
	for {
		for (*indent == 0 || s.col < *indent) && s.i < len(s.src) && s.src[s.i] == ' ' {
			s.i++
			s.col++
		}
		maxIndent = max(maxIndent, s.col)
		if (*indent == 0 || s.col < *indent) && s.i < len(s.src) && s.src[s.i] == '\t' {
			return false
		}
		if s.i >= len(s.src) || !s.isBreak(s.i) {
			break
		}
		s.newline()
	}
	if *indent == 0 {
		*indent = max(maxIndent, s.indent()+1, 1)
	}
	return true
}

func (s *nestScan) skipLine() {
	for s.i < len(s.src) && !s.isBreak(s.i) {
		s.advance()
	}
}

func (s *nestScan) skipWhile(ok func(byte) bool) {
	for s.i < len(s.src) && ok(s.src[s.i]) {
		s.i++
		s.col++
	}
}

// advance steps over one character.
func (s *nestScan) advance() {
	c := s.src[s.i]
	switch {
	case c < 0x80:
		s.i++
	case c >= 0xF0:
		s.i += 4
	case c >= 0xE0:
		s.i += 3
	case c >= 0xC0:
		s.i += 2
	default:
		s.i++
	}
	s.i = min(s.i, len(s.src))
	s.col++
}

// newline steps over the line break at s.i.
func (s *nestScan) newline() {
	switch s.src[s.i] {
	case '\r':
		s.i++
		if s.i < len(s.src) && s.src[s.i] == '\n' {
			s.i++
		}
	case '\n':
		s.i++
	case 0xC2:
		s.i += 2
	default:
		s.i += 3
	}
	s.line++
	s.col = 0
}

// isBreak: CR, LF, NEL, LS or PS, as in yaml.v3.
func (s *nestScan) isBreak(i int) bool {
	b := s.src
	switch b[i] {
	case '\r', '\n':
		return true
	case 0xC2:
		return i+1 < len(b) && b[i+1] == 0x85
	case 0xE2:
		return i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9)
	}
	return false
}

func (s *nestScan) blankz(i int) bool {
	return i >= len(s.src) || s.src[i] == ' ' || s.src[i] == '\t' || s.isBreak(i)
}

// marker reports a document marker (--- or ...) at s.i.
func (s *nestScan) marker(c byte) bool {
	b := s.src[s.i:]
	return len(b) >= 3 && b[0] == c && b[1] == c && b[2] == c && s.blankz(s.i+3)
}

func (s *nestScan) bom() bool {
	b := s.src[s.i:]
	return len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF
}

func isAlpha(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == '-'
}

// isURIChar: the characters of a tag handle and URI in yaml.v3.
func isURIChar(c byte) bool {
	if isAlpha(c) {
		return true
	}
	switch c {
	case ';', '/', '?', ':', '@', '&', '=', '+', '$', ',', '.', '!', '~', '*', '\'', '(', ')', '[', ']', '%':
		return true
	}
	return false
}
