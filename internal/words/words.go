// Package words joins names into the phrases flowctl's messages use, one
// way everywhere: "a, b and c", "a or b", and each name quoted. It imports
// nothing of flowctl's; everything may import it.
package words

import (
	"fmt"
	"strconv"
	"strings"
)

// List joins items as a sentence does, conj before the last one:
// List(["a","b","c"], "and") is "a, b and c"; one item is itself, none "".
func List(items []string, conj string) string {
	switch n := len(items); n {
	case 0:
		return ""
	case 1:
		return items[0]
	default:
		return strings.Join(items[:n-1], ", ") + " " + conj + " " + items[n-1]
	}
}

// Quote returns the items quoted as Go quotes a string ("a", "b \"c\"").
func Quote(items []string) []string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return q
}

// QuotedList is List of the quoted items: "a", "b" or "c".
func QuotedList(items []string, conj string) string { return List(Quote(items), conj) }

// Number writes n with thousands separated by commas: 1,000,000.
func Number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var sb strings.Builder
	if neg {
		sb.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			sb.WriteByte(',')
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// Plural is n and word, with an s for any n but 1: "1 field", "2 fields".
func Plural[N int | uint64](n N, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
