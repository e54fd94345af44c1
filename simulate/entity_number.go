package simulate

import (
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/internal/lazyre"
)

// pointRe is a number written without digits before its decimal point
// (.5, -.25), which numberRe does not take.
var pointRe = lazyre.New(`[-+]?\.\d+`)

// maxFractionDigits is how many significant digits a number with a
// fraction may have: float64 holds 15 exactly.
const maxFractionDigits = 15

// parseNumber reads the first number of a reply (see Entity): an integer
// as an int, exactly, when int64 holds it; a number with a fraction as a
// float64. A number flowctl cannot hold exactly (an integer beyond int64,
// a fraction of more than 15 significant digits) is no valid number: such
// long digit strings are identifiers, for entity pattern.
func parseNumber(s string) (any, bool) {
	m := firstNumber(s)
	if m == "" {
		return nil, false
	}
	if thousandsRe.MatchString(m) {
		m = strings.ReplaceAll(m, ",", "")
	}
	m = strings.Replace(m, ",", ".", 1)
	if !strings.Contains(m, ".") {
		n, err := strconv.ParseInt(m, 10, 64)
		return int(n), err == nil
	}
	if significantDigits(m) > maxFractionDigits {
		return nil, false
	}
	f, err := strconv.ParseFloat(m, 64)
	return f, err == nil
}

// firstNumber returns the leftmost number of s, with or without digits
// before its decimal point, or "".
func firstNumber(s string) string {
	loc := numberRe.FindStringIndex(s)
	if p := pointRe.FindStringIndex(s); p != nil && (loc == nil || p[0] < loc[0]) {
		loc = p
	}
	if loc == nil {
		return ""
	}
	return s[loc[0]:loc[1]]
}

// significantDigits counts the digits of a decimal number without its
// leading zeros and the trailing zeros of its fraction.
func significantDigits(m string) int {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, strings.TrimRight(m, "0"))
	return len(strings.TrimLeft(digits, "0"))
}
