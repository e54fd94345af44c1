// Package suggest finds the name a user probably meant: the one bounded edit
// distance of flowctl and the "did you mean" choice built on it. It imports
// nothing of flowctl, so every package (schemas, flow, genesys) can use it.
package suggest

import (
	"strings"
	"unicode/utf8"
)

// Distance is the edit distance between a and b in runes, counting an
// insertion, a deletion, a substitution or a swap of two neighbours as one
// edit (optimal string alignment: "bey" is one edit from "bye"), or limit+1
// as soon as it is known to exceed limit.
func Distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1) // row i-2, for swaps
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func Limit(n int) int {
	switch {
	case n <= 1:
		return 0
	case n <= 3:
		return 1
	case n <= 8:
		return 2
	}
	return 3
}

// Closest returns the candidate name most probably meant, ignoring case,
// or "" when none is within Limit of it. A candidate must also keep more
// than it changes (fewer edits than its length), so "cc" never suggests
// "a". Ties go to the earlier candidate; name itself is never suggested.
func Closest(name string, candidates []string) string {
	want := strings.ToLower(name)
	limit := Limit(utf8.RuneCountInString(want))
	best, bestD := "", limit+1
	for _, c := range candidates {
		if c == name || c == "" {
			continue
		}
		d := Distance(want, strings.ToLower(c), limit)
		if d < bestD && d < utf8.RuneCountInString(c) {
			best, bestD = c, d
		}
	}
	return best
}
