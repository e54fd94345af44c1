package lsp

import (
	"reflect"
	"strings"
	"sync"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/lazyre"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// Completion inside expressions (a when, a set value) and templates ({…}
// in a text): intent names in nlu.intent comparisons, memory keys, the
// fields of nlu and session, and the names expressions see. Such a
// completion replaces the name around the cursor only, never the rest of
// the expression.

var (
	intentLiteralRe = lazyre.New(`nlu\.intent\s*(?:==|!=|(?:not\s+)?in\s*\[[^\]]*?)\s*["']([^"']*)$`)
	memoryRe        = lazyre.New(`(?:^|[^\w.])memory\.(\w*)$`)
	fieldRe         = lazyre.New(`(?:^|[^\w.])([A-Za-z_]\w*)\.(\w*)$`)
	identRe         = lazyre.New(`(?:^|[^\w.])(\w*)$`)
)

// envNames are the names expressions see (flow.Env's expr tags) and, for
// each that has fields (nlu, session), its fields: the same reflection
// flow's messages name them by.
var envNames = sync.OnceValue(func() (out struct {
	roots  []candidate
	fields map[string][]candidate
}) {
	out.fields = map[string][]candidate{}
	env := reflect.TypeFor[flow.Env]()
	for i := range env.NumField() {
		f := env.Field(i)
		name := f.Tag.Get("expr")
		if name == "" {
			continue
		}
		detail := typeWord(f.Type)
		if f.Type.Kind() == reflect.Struct {
			var names []string
			for j := range f.Type.NumField() {
				sub := f.Type.Field(j)
				if tag := sub.Tag.Get("expr"); tag != "" {
					names = append(names, tag)
					out.fields[name] = append(out.fields[name], candidate{label: tag, kind: protocol.CompletionItemKindField, detail: name + " field, " + typeWord(sub.Type)})
				}
			}
			detail = strings.Join(names, ", ")
		}
		out.roots = append(out.roots, candidate{label: name, kind: protocol.CompletionItemKindVariable, detail: detail})
	}
	return out
})

// typeWord names a Go type as flow's expression messages do.
func typeWord(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Map:
		return "map"
	case reflect.String:
		return "string"
	case reflect.Float64, reflect.Int:
		return "number"
	case reflect.Bool:
		return "bool"
	}
	return t.Kind().String()
}

// exprCompletion returns the candidates at byte offset off when it is in
// an expression or template name, and the bytes [from, end) they replace;
// ok is false elsewhere.
func exprCompletion(an *analysis, t *text, c cursor, off int) (from, end int, cands []candidate, ok bool) {
	after := t.s[off:min(len(t.s), t.starts[t.lineOf(off)]+len(t.line(t.lineOf(off))))]
	if m := intentLiteralRe.FindStringSubmatch(c.before); m != nil {
		return off - len(m[1]), off + nameRun(after), intents(an.project), true
	}
	if m := memoryRe.FindStringSubmatch(c.before); m != nil {
		return off - len(m[1]), off + identRun(after), memoryKeys(an.project), true
	}
	if m := fieldRe.FindStringSubmatch(c.before); m != nil {
		if fields, has := envNames().fields[m[1]]; has {
			return off - len(m[2]), off + identRun(after), fields, true
		}
	}
	if !c.inKey && inExpression(c) {
		valueStart := c.from - t.starts[t.lineOf(off)]
		m := identRe.FindStringSubmatch(c.before[min(valueStart, len(c.before)):])
		if m == nil || inString(c.before[min(valueStart, len(c.before)):]) {
			return off, off, nil, true
		}
		return off - len(m[1]), off + identRun(after), envNames().roots, true
	}
	return 0, 0, nil, false
}

// inExpression reports whether the cursor writes a value that is an
// expression: an output's when, a set block's memory value.
func inExpression(c cursor) bool {
	if _, in := c.inBlock(); !in {
		return false
	}
	return c.key == "when" && c.under("outputs", "-") || len(c.path) == 5 && c.under("memory")
}

// inString reports whether the end of an expression is inside a string
// literal.
func inString(expr string) bool {
	var quote byte
	for i := 0; i < len(expr); i++ {
		ch := expr[i]
		switch {
		case quote != 0 && ch == '\\' && quote != '`':
			i++
		case quote != 0 && ch == quote:
			quote = 0
		case quote == 0 && (ch == '"' || ch == '\'' || ch == '`'):
			quote = ch
		}
	}
	return quote != 0
}

// identRun is the length of the identifier s starts with.
func identRun(s string) int {
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
		i++
	}
	return i
}

// nameRun is the length of the name s starts with: an identifier, and -
// . and non-ASCII letters (intent names).
func nameRun(s string) int {
	i := 0
	for i < len(s) {
		if n := identRun(s[i:]); n > 0 {
			i += n
			continue
		}
		if s[i] != '-' && s[i] != '.' && s[i] < 0x80 {
			break
		}
		i++
	}
	return i
}
