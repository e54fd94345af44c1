package lsp

import (
	"strings"
)

// cursor is where in the YAML structure a position is, read from the
// lines alone (the file may be half typed): the keys of the enclosing
// mappings, "-" for a sequence item, and the key being written or whose
// value is being written.
type cursor struct {
	path   []string // enclosing keys, outermost first ("-" for an item)
	key    string   // the key whose value the cursor is in ("" when writing a key)
	inKey  bool     // the cursor is where a key is written
	scalar bool     // inside a block scalar (| or >): nothing to complete
	before string   // the line up to the cursor
	from   int      // byte offset where the word being written starts
	itemAt int      // 0-based line of the enclosing sequence item's dash (-1 none)
	// keyCol is the byte column where the keys of the cursor's own
	// mapping start on its line (after indentation and dashes); openAt
	// is the column of the { of the flow mapping the cursor is in (-1
	// none).
	keyCol, openAt int
	dashed         bool // the cursor's line starts a sequence item
}

// cursorAt reads the structure around byte offset off.
func cursorAt(t *text, off int) cursor {
	n := t.lineOf(off)
	ln := t.line(n)
	col := min(off-t.starts[n], len(ln))
	c := cursor{before: ln[:col], itemAt: -1, openAt: -1}
	rest := c.before
	indent := len(rest) - len(strings.TrimLeft(rest, " "))
	rest = rest[indent:]
	var own []string // the current line's own structure
	for strings.HasPrefix(rest, "- ") || rest == "-" {
		own = append(own, "-")
		c.itemAt = n
		rest = strings.TrimLeft(strings.TrimPrefix(rest, "-"), " ")
	}
	keyCol := len(c.before) - len(rest)
	c.keyCol, c.dashed = keyCol, len(own) > 0
	if len(own) > 0 {
		keyCol = indent // the item's dash is the nesting level
	}
	// A flow mapping on this line: { a: 1, b| } (braces and commas in
	// quotes do not count).
	if open, comma := flowMapping(rest); open >= 0 {
		if k, _, ok := strings.Cut(rest[:open], ":"); ok && !strings.ContainsAny(k, "[{") {
			own = append(own, strings.TrimSpace(k))
		}
		c.setEntry(rest[max(open, comma)+1:])
		c.openAt = len(c.before) - len(rest) + open
	} else {
		c.setEntry(rest)
		if !c.inKey {
			// key: value on this line; a flow sequence value [a, b|] too.
			if i := strings.LastIndexAny(c.before, "[,"); i >= 0 && strings.Contains(c.before, "[") {
				c.from = i + 1
				for c.from < len(c.before) && c.before[c.from] == ' ' {
					c.from++
				}
			}
		}
	}
	c.from += t.starts[n]
	c.path = append(ancestors(t, n, keyCol, &c), own...)
	return c
}

// flowMapping returns the index of the { of the flow mapping the end of s
// is in, and of the last comma of that mapping before the end (-1 when
// none); open is -1 when the end of s is in no flow mapping, or in a flow
// sequence. Brackets and commas in quotes do not count.
func flowMapping(s string) (open, comma int) {
	type level struct{ at, comma int }
	var stack []level
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			} else if ch == '\\' && quote == '"' {
				i++
			}
		case ch == '"' || ch == '\'':
			quote = ch
		case ch == '{' || ch == '[':
			stack = append(stack, level{at: i, comma: -1})
		case (ch == '}' || ch == ']') && len(stack) > 0:
			stack = stack[:len(stack)-1]
		case ch == ',' && len(stack) > 0:
			stack[len(stack)-1].comma = i
		}
	}
	if len(stack) == 0 || s[stack[len(stack)-1].at] != '{' {
		return -1, -1
	}
	top := stack[len(stack)-1]
	return top.at, top.comma
}

// setEntry reads "key: value|" or "key|" (the text after the indentation,
// dashes or a flow mapping's last comma).
func (c *cursor) setEntry(s string) {
	lead := len(s) - len(strings.TrimLeft(s, " "))
	s = s[lead:]
	start := len(c.before) - len(s)
	if k, v, ok := strings.Cut(s, ":"); ok && (strings.HasPrefix(v, " ") || v == "") && !strings.ContainsAny(k, "\"'") {
		c.key = strings.TrimSpace(k)
		vlead := len(v) - len(strings.TrimLeft(v, " "))
		c.from = start + len(k) + 1 + vlead
		if val := v[vlead:]; len(val) > 0 && (val[0] == '"' || val[0] == '\'') {
			c.from++
		}
		return
	}
	c.inKey = true
	c.from = start
}

// ancestors returns the keys enclosing line n at column col, walking up:
// each line less indented than the current level is a parent.
func ancestors(t *text, n, col int, c *cursor) []string {
	var rev []string
	level := col
	for i := n - 1; i >= 0 && level > 0; i-- {
		ln := t.line(i)
		body := strings.TrimLeft(ln, " ")
		if body == "" || strings.HasPrefix(body, "#") {
			continue
		}
		ind := len(ln) - len(body)
		if ind >= level {
			continue
		}
		// A line of dashes: each is an item; the key after them sits
		// deeper than the dashes.
		dashes := 0
		for strings.HasPrefix(body, "- ") || body == "-" {
			dashes++
			body = strings.TrimLeft(strings.TrimPrefix(body, "-"), " ")
		}
		keyInd := len(ln) - len(body)
		if dashes > 0 && keyInd < level {
			if k, v, ok := strings.Cut(body, ":"); ok && !strings.ContainsAny(k, "{[\"'") {
				if isBlockScalar(v) && len(rev) == 0 {
					c.scalar = true
				}
				rev = append(rev, strings.TrimSpace(k))
			}
		}
		if dashes > 0 {
			for range dashes {
				rev = append(rev, "-")
			}
			if c.itemAt < 0 {
				c.itemAt = i
			}
			level = ind
			continue
		}
		if k, v, ok := strings.Cut(body, ":"); ok {
			if isBlockScalar(v) && len(rev) == 0 {
				c.scalar = true
			}
			rev = append(rev, strings.TrimSpace(k))
		}
		level = ind
	}
	out := make([]string, len(rev))
	for i, k := range rev {
		out[len(rev)-1-i] = k
	}
	return out
}

func isBlockScalar(v string) bool {
	v = strings.TrimSpace(v)
	return strings.HasPrefix(v, "|") || strings.HasPrefix(v, ">")
}

// under reports whether the path ends with the given keys.
func (c cursor) under(keys ...string) bool {
	if len(c.path) < len(keys) {
		return false
	}
	tail := c.path[len(c.path)-len(keys):]
	for i, k := range keys {
		if k != "*" && tail[i] != k {
			return false
		}
	}
	return true
}

// inBlock reports whether the cursor is inside a block of a flow, and the
// flow's name.
func (c cursor) inBlock() (string, bool) {
	if len(c.path) >= 4 && c.path[0] == "flows" && c.path[2] == "blocks" && c.path[3] == "-" {
		return c.path[1], true
	}
	return "", false
}
