package schemas

// The character-level part of the nesting scan: white space, comments and
// the scalars, skipped as yaml.v3 scans them.

// skipToToken skips white space, comments and line breaks.
func (s *nestScan) skipToToken() {
	for s.i < len(s.src) {
		if s.col == 0 && s.bom() {
			s.i += 3
			s.col++
		}
		s.skipBlanks()
		s.skipComment()
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
	s.skipBlanks()
	s.skipComment()
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

func (s *nestScan) skipBlanks() {
	for s.i < len(s.src) && (s.src[s.i] == ' ' || s.src[s.i] == '\t') {
		s.i++
		s.col++
	}
}

func (s *nestScan) skipComment() {
	if s.i < len(s.src) && s.src[s.i] == '#' {
		s.skipLine()
	}
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
	s.lineStart = s.i
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
