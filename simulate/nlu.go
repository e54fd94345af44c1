package simulate

import (
	"strings"
	"unicode"

	"github.com/flowctl/flowctl/flow"
)

// Recogniser is the offline intent recogniser (spec §2): an intent matches
// when one of its patterns matches, one of its examples equals the message
// with case and punctuation ignored, or one of its keywords occurs as a
// whole word, case-insensitively. The first declared intent that matches
// wins.
type Recogniser struct {
	intents []recogIntent
}

type recogIntent struct {
	in       *flow.Intent
	examples []string   // normalised
	keywords [][]string // each keyword as lower-case words
}

// NewRecogniser prepares the intents of a project, in declaration order.
func NewRecogniser(intents []*flow.Intent) *Recogniser {
	r := &Recogniser{}
	for _, in := range intents {
		ri := recogIntent{in: in}
		for _, ex := range in.Examples {
			ri.examples = append(ri.examples, normalise(ex))
		}
		for _, kw := range in.Keywords {
			if ws := splitWords(kw); len(ws) > 0 {
				ri.keywords = append(ri.keywords, ws)
			}
		}
		r.intents = append(r.intents, ri)
	}
	return r
}

// Recognise returns nlu.intent and nlu.score for a user message.
func (r *Recogniser) Recognise(msg string) flow.NLU {
	var norm string
	var ws []string
	for i := range r.intents {
		ri := &r.intents[i]
		for _, re := range ri.in.Patterns {
			if re.MatchString(msg) {
				return flow.NLU{Intent: ri.in.Name, Score: 1}
			}
		}
		if len(ri.examples) > 0 && norm == "" {
			norm = normalise(msg)
		}
		for _, ex := range ri.examples {
			if ex == norm {
				return flow.NLU{Intent: ri.in.Name, Score: 1}
			}
		}
		if len(ri.keywords) > 0 && ws == nil {
			ws = splitWords(msg)
		}
		for _, kw := range ri.keywords {
			if containsWords(ws, kw) {
				return flow.NLU{Intent: ri.in.Name, Score: 1}
			}
		}
	}
	return flow.NLU{}
}

// normalise lower-cases s, drops punctuation and collapses white space.
func normalise(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsPunct(r):
		case unicode.IsSpace(r):
			space = sb.Len() > 0
		default:
			if space {
				sb.WriteByte(' ')
				space = false
			}
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// splitWords splits s into lower-case words of letters, digits and underscores.
func splitWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_'
	})
}

// containsWords reports whether kw occurs in ws as consecutive words.
func containsWords(ws, kw []string) bool {
	for i := 0; i+len(kw) <= len(ws); i++ {
		match := true
		for j, w := range kw {
			if ws[i+j] != w {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
