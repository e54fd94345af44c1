package simulate

import (
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/lazyre"
)

var (
	// numberRe: digits grouped in threes by commas (1,000 or 12,345.5),
	// else digits with "." or "," as the decimal mark (3,5).
	numberRe    = lazyre.New(`[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?\b|\d+(?:[.,]\d+)?)`)
	thousandsRe = lazyre.New(`^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$`)
	emailRe     = lazyre.New(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	phoneRe     = lazyre.New(`\+?\(?\d[\d\s().-]*\d`)
)

var (
	yesWords = map[string]bool{"yes": true, "y": true, "yeah": true, "yep": true, "sure": true, "ok": true, "okay": true, "correct": true, "true": true, "absolutely": true}
	noWords  = map[string]bool{"no": true, "n": true, "nope": true, "nah": true, "false": true, "never": true}
)

// Entity extracts the value an ask block expects from a reply. ok is false
// when the reply holds no valid value (the block asks again). Values:
//   - any: the trimmed reply, which must not be empty
//   - number: the first number in the reply (.5 is 0.5); a comma before
//     a group of exactly three digits separates thousands (1,000 is 1000),
//     any other comma is the decimal mark (3,5 is 3.5). An integer is an
//     int, exactly (up to int64); a number with a fraction a float64, of at
//     most 15 significant digits. Longer numbers are not valid (see
//     parseNumber).
//   - email: the first e-mail address, lower-cased
//   - phone: the first phone number of 7 to 15 digits, as "+" and digits;
//     digits joined only by spaces, dots, dashes or parentheses are one
//     number, so two numbers need something else between them ("or", ",")
//   - yes_no: true or false, from words such as yes/ok/sure or no/nope; a
//     reply with both kinds of words is not valid
//   - pattern: the first match of the block's pattern
func Entity(b *flow.Block, reply string) (value any, ok bool) {
	s := strings.TrimSpace(reply)
	switch b.Entity {
	case "", flow.EntityAny:
		return s, s != ""
	case flow.EntityNumber:
		return parseNumber(s)
	case flow.EntityEmail:
		m := emailRe.FindString(s)
		return strings.ToLower(m), m != ""
	case flow.EntityPhone:
		for _, m := range phoneRe.FindAllString(s, -1) {
			var sb strings.Builder
			if strings.HasPrefix(m, "+") {
				sb.WriteByte('+')
			}
			n := 0
			for _, r := range m {
				if r >= '0' && r <= '9' {
					sb.WriteRune(r)
					n++
				}
			}
			if n >= 7 && n <= 15 {
				return sb.String(), true
			}
		}
		return nil, false
	case flow.EntityYesNo:
		yes, no := false, false
		for _, w := range splitWords(s) {
			yes = yes || yesWords[w]
			no = no || noWords[w]
		}
		if yes == no {
			return nil, false
		}
		return yes, true
	case flow.EntityPattern:
		if b.Pattern == nil {
			return nil, false
		}
		loc := b.Pattern.FindStringIndex(s)
		if loc == nil {
			return nil, false
		}
		return s[loc[0]:loc[1]], true
	}
	return nil, false
}
