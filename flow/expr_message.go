package flow

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/expr-lang/expr/file"
	"github.com/flowctl/flowctl/internal/lazyre"
)

// The words of expression errors. expr-lang speaks of Go: type names
// (flow.NLU, float64, map[string]interface {}), token kinds and positions
// ("(1:14)"). A flow's author knows memory, nlu, input and session, and
// numbers, strings, lists and maps: exprMessage says it in those words.

// runError turns a run-time error of an expression into an *ExprError at
// its file position, in a flow's words. Other errors pass unchanged.
func runError(err error, at posFunc) error {
	var fe *file.Error
	if err == nil || !errors.As(err, &fe) {
		return err
	}
	return &ExprError{Pos: at(fe.From), Message: exprMessage(fe.Message), cause: err}
}

// Unwrap returns expr-lang's error behind a run-time error (and what it
// wraps in turn), or nil.
func (e *ExprError) Unwrap() error { return e.cause }

var (
	exprPosRe      = lazyre.New(`\s*\(\d+:\d+\)\s*$`)
	noFieldRe      = lazyre.New(`^type (\S+) has no field (\S+)$`)
	unknownNameRe  = lazyre.New(`^unknown name (\S+)$`)
	fetchRe        = lazyre.New(`^cannot fetch (\S+) from (.+)$`)
	tokenRe        = lazyre.New(`^unexpected token (\w+)(?:\((.*)\))?$`)
	expectedBoolRe = lazyre.New(`^expected bool, but got (.+)$`)
	conversionRe   = lazyre.New(`^interface conversion: interface \{\} is (.+), not (.+)$`)
	numberTypeRe   = lazyre.New(`\b(?:u?int(?:8|16|32|64)?|float(?:32|64)|uintptr)\b`)
	goTypeWords    = strings.NewReplacer("map[string]interface {}", "map", "[]interface {}", "list", "interface {}", "value", "flow.NLU", "nlu", "flow.SessionInfo", "session", "flow.Env", "the expression", "time.Time", "time", "time.Duration", "duration", "<nil>", "nil")
	tokenKindWords = map[string]string{"EOF": "end of expression", "Number": "number", "String": "string", "Identifier": "name", "Operator": "operator", "Bracket": "bracket"}
)

// exprMessage rewords one line of an expr-lang message.
func exprMessage(msg string) string {
	msg = exprPosRe.ReplaceAllString(strings.TrimSpace(msg), "")
	if m := noFieldRe.FindStringSubmatch(msg); m != nil {
		typ := typeWords(m[1])
		s := fmt.Sprintf("%s has no field %q", typ, m[2])
		if fields, ok := envFields()[typ]; ok {
			s += fmt.Sprintf(" (it has %s)%s", strings.Join(fields, " and "), suggest(m[2], fields))
		}
		return s
	}
	if m := unknownNameRe.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("unknown name %q: expressions see memory, nlu, input and session%s", m[1], suggest(m[1], []string{"memory", "nlu", "input", "session"}))
	}
	if m := fetchRe.FindStringSubmatch(msg); m != nil {
		from := typeWords(m[2])
		if from == "nil" {
			return fmt.Sprintf("cannot read %q from nil (a value that is not set)", m[1])
		}
		return fmt.Sprintf("cannot read %q from %s", m[1], article(from))
	}
	if m := tokenRe.FindStringSubmatch(msg); m != nil {
		kind, ok := tokenKindWords[m[1]]
		if !ok {
			kind = strings.ToLower(m[1])
		}
		if m[2] == "" {
			return "unexpected " + kind
		}
		return fmt.Sprintf("unexpected %s %s", kind, m[2])
	}
	if m := expectedBoolRe.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("a condition must be true or false, but this is %s", article(typeWords(m[1])))
	}
	if m := conversionRe.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("got %s where %s is needed", article(typeWords(m[1])), article(typeWords(m[2])))
	}
	return typeWords(msg)
}

// article puts "a" before a type word, not before a name (nlu, session).
func article(typ string) string {
	if _, named := envFields()[typ]; named || typ == "nil" {
		return typ
	}
	return "a " + typ
}

// typeWords replaces Go type names in s with a flow's words.
func typeWords(s string) string {
	return numberTypeRe.ReplaceAllString(goTypeWords.Replace(s), "number")
}

// envFields lists the fields of nlu and session, from Env's expr tags.
var envFields = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	env := reflect.TypeFor[Env]()
	for i := range env.NumField() {
		f := env.Field(i)
		if f.Type.Kind() != reflect.Struct {
			continue
		}
		for j := range f.Type.NumField() {
			if tag := f.Type.Field(j).Tag.Get("expr"); tag != "" {
				out[f.Tag.Get("expr")] = append(out[f.Tag.Get("expr")], tag)
			}
		}
	}
	return out
})
