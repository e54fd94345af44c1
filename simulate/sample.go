package simulate

import (
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/flowctl/flowctl/flow"
)

// noMatchMessages are tried in turn for "a message that matches nothing".
var noMatchMessages = []string{"xyzzy", "qwfp zxcv", "blorp 7"}

// intentSample returns a message the recogniser maps to the intent, or "".
func intentSample(r *Recogniser, in *flow.Intent) string {
	var cands []string
	cands = append(cands, in.Keywords...)
	cands = append(cands, in.Examples...)
	for _, re := range in.Patterns {
		if s, ok := RegexpSample(re); ok {
			cands = append(cands, s)
		}
	}
	for _, c := range cands {
		if r.Recognise(c).Intent == in.Name {
			return c
		}
	}
	return ""
}

// entitySamples returns valid replies for an ask block's entity.
func entitySamples(b *flow.Block) []string {
	switch b.Entity {
	case flow.EntityNumber:
		return []string{"42", "7", "100000"}
	case flow.EntityEmail:
		return []string{"ann@example.com"}
	case flow.EntityPhone:
		return []string{"+15550100"}
	case flow.EntityYesNo:
		return []string{"yes", "no"}
	case flow.EntityPattern:
		if b.Pattern != nil {
			if s, ok := RegexpSample(b.Pattern); ok {
				return []string{s}
			}
		}
		return nil
	}
	return []string{"Ann"}
}

// RegexpSample returns a short string the regular expression matches,
// built from its syntax tree (first alternatives, minimal repetitions).
func RegexpSample(re *regexp.Regexp) (string, bool) {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return "", false
	}
	var sb strings.Builder
	gen(&sb, tree.Simplify(), 0)
	s := sb.String()
	return s, re.MatchString(s)
}

func gen(sb *strings.Builder, re *syntax.Regexp, depth int) {
	if depth > 100 {
		return
	}
	switch re.Op {
	case syntax.OpLiteral:
		sb.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		if len(re.Rune) >= 2 {
			sb.WriteRune(classRune(re.Rune))
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		sb.WriteByte('x')
	case syntax.OpCapture:
		gen(sb, re.Sub[0], depth+1)
	case syntax.OpPlus:
		gen(sb, re.Sub[0], depth+1)
	case syntax.OpRepeat:
		for range re.Min {
			gen(sb, re.Sub[0], depth+1)
		}
	case syntax.OpConcat:
		for _, s := range re.Sub {
			gen(sb, s, depth+1)
		}
	case syntax.OpAlternate:
		gen(sb, re.Sub[0], depth+1)
	}
}

// classRune picks a readable rune from a character class's ranges.
func classRune(ranges []rune) rune {
	for _, want := range []rune{'a', 'A', '0', ' '} {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] <= want && want <= ranges[i+1] {
				return want
			}
		}
	}
	return ranges[0]
}
