package flow

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/expr-lang/expr/file"
)

// Bounds on an expression's source, checked before expr-lang parses it: its
// parser recurses once per bracket and per unary operator, so a hostile
// file could overflow the stack, which no recover catches. With the length
// bounded, every other recursion (ternaries, right-associative operators,
// let) stays shallow too.
const (
	MaxExprBytes   = 8 << 10 // source length of one expression
	maxExprDepth   = 256     // bracket nesting
	MaxUnaryRun    = 16      // unary operators (!, not, -, +) in a row
	unaryOperators = "!, not, - or +"
)

// checkSource returns where src breaks a bound, or nil. One pass; brackets
// and operators inside string literals do not count, comments count as
// white space.
func checkSource(src string) *file.Error {
	depth, off := 0, 0 // off: rune offset of src[i]
	run, runStart := 0, 0
	prev := rune(0)
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		n := 1 // runes consumed
		switch {
		case r == '"' || r == '\'' || r == '`':
			size, n = quotedLen(src[i:])
			run = 0
		case strings.HasPrefix(src[i:], "//") || strings.HasPrefix(src[i:], "/*"):
			size, n = commentLen(src[i:])
		case r == '(' || r == '[' || r == '{':
			if depth++; depth > maxExprDepth {
				return sourceErr(off, "nested deeper than %d brackets", maxExprDepth)
			}
			run = 0
		case r == ')' || r == ']' || r == '}':
			depth--
			run = 0
		case unicode.IsSpace(r):
		case r == '-' || r == '+' || r == '!' && !strings.HasPrefix(src[i+1:], "=") || isNotAt(src, i, prev):
			if r == 'n' {
				size, n = 3, 3
			}
			if run == 0 {
				runStart = off
			}
			if run++; run > MaxUnaryRun {
				return sourceErr(runStart, "more than %d unary operators (%s) in a row", MaxUnaryRun, unaryOperators)
			}
		default:
			run = 0
		}
		prev = r
		i += size
		off += n
	}
	if len(src) > MaxExprBytes {
		return sourceErr(0, "expression is %d bytes long; flowctl compiles expressions up to %d bytes", len(src), MaxExprBytes)
	}
	return nil
}

// quotedLen returns the bytes and runes of the string literal s starts
// with (to the end of s when it is not closed).
func quotedLen(s string) (size, runes int) {
	q := s[0]
	escaped := false
	for i, r := range s[1:] {
		runes++
		switch {
		case escaped:
			escaped = false
		case r == '\\' && q != '`':
			escaped = true
		case r == rune(q):
			return i + 2, runes + 1
		}
	}
	return len(s), runes + 1
}

// commentLen returns the bytes and runes of the comment s starts with.
func commentLen(s string) (size, runes int) {
	end := len(s)
	if strings.HasPrefix(s, "//") {
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			end = i
		}
	} else if i := strings.Index(s[2:], "*/"); i >= 0 {
		end = i + 4
	}
	return end, utf8.RuneCountInString(s[:end])
}

// isNotAt reports whether the keyword not starts at byte i of s (prev is
// the rune before it).
func isNotAt(s string, i int, prev rune) bool {
	if !strings.HasPrefix(s[i:], "not") || isIdentRune(prev) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i+3:])
	return i+3 == len(s) || !isIdentRune(r)
}

func sourceErr(off int, format string, a ...any) *file.Error {
	return &file.Error{Location: file.Location{From: off}, Message: fmt.Sprintf(format, a...)}
}

func isIdentRune(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
