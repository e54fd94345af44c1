package flow

import (
	"regexp"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// intentTerm is one keyword, example or pattern of an intent, as written.
type intentTerm struct {
	Kind  string // keywords, examples or patterns
	Value string
	Pos   Pos
}

// intentTerms returns the string items of an intent's keywords, examples
// or patterns list.
func intentTerms(kind string, v *yaml.Node) []intentTerm {
	switch kind {
	case "keywords", "examples", "patterns":
	default:
		return nil
	}
	var out []intentTerm
	if v = deref(v); v == nil || v.Kind != yaml.SequenceNode {
		return nil
	}
	for _, c := range v.Content {
		if c = deref(c); isScalar(c) && !isNull(c) {
			out = append(out, intentTerm{Kind: kind, Value: c.Value, Pos: posOf(c)})
		}
	}
	return out
}

var ruleIntentEmptyTerm = &Rule{
	ID: RuleIntentEmptyTerm, Severity: SeverityWarning,
	Summary: "an intent keyword or example without a word (it never matches), or a pattern that matches every message (later intents never match)",
	check: func(ps *pass) {
		for i, in := range ps.p.Intents {
			later := len(ps.p.Intents) - 1 - i
			last := later == 0
			for _, t := range in.terms {
				switch t.Kind {
				case "keywords":
					if !hasWord(t.Value) {
						ps.report(t.Pos, "intent %q has keyword %q without a word: it never matches; remove it or write the word", in.Name, t.Value)
					}
				case "examples":
					if !hasWord(t.Value) {
						ps.report(t.Pos, "intent %q has example %q without a word: it matches no message with words; remove it or write the example", in.Name, t.Value)
					}
				case "patterns":
					switch {
					case strings.TrimSpace(t.Value) == "":
						ps.report(t.Pos, "intent %q has an empty pattern: it matches every message, so %s; remove it", in.Name, laterIntents(later))
					case matchesEverything(t.Value) && !last:
						ps.report(t.Pos, "intent %q has pattern %q, which matches every message, so %s; remove it, or declare the intent last as a catch-all", in.Name, t.Value, laterIntents(later))
					}
				}
			}
		}
	},
}

func laterIntents(n int) string {
	switch n {
	case 0:
		return "nlu.intent is never empty"
	case 1:
		return "the intent declared after it never matches"
	}
	return "the intents declared after it never match"
}

// hasWord reports whether s holds a letter or a digit: what the offline
// recogniser matches keywords and examples by.
func hasWord(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
}

// everything are messages of every kind a pattern that matches all of
// them is taken to match any message.
var everything = []string{"", "x", "Hello, I need help with my invoice!", "42", "?", "äöü ß", " \t"}

// matchesEverything reports whether a pattern matches every probe message.
func matchesEverything(pattern string) bool {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return false // regex-syntax reports it
	}
	for _, m := range everything {
		if !re.MatchString(m) {
			return false
		}
	}
	return true
}
