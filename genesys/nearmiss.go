package genesys

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// normalizeName folds case and collapses white space: two queue names with
// the same normal form differ only in case or white space.
func normalizeName(s string) string {
	return strings.ToLower(strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " "))
}

// maxSimilar bounds the near misses reported for one name.
const maxSimilar = 3

// nearMisses returns the candidates closest to name: same normal form first,
// then by edit distance on normal forms (at most a quarter of the name's
// length, between 1 and 3), best first.
func nearMisses(name string, candidates []string) []string {
	want := []rune(normalizeName(name))
	limit := min(max(len(want)/4, 1), 3)
	type hit struct {
		name string
		dist int
	}
	var hits []hit
	seen := map[string]bool{}
	for _, c := range candidates {
		if c == name || seen[c] {
			continue
		}
		got := []rune(normalizeName(c))
		if d := len(got) - len(want); d > limit || -d > limit {
			continue
		}
		if d := editDistance(want, got, limit); d <= limit {
			seen[c] = true
			hits = append(hits, hit{c, d})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(a.name, b.name)) })
	var out []string
	for i := 0; i < len(hits) && i < maxSimilar; i++ {
		out = append(out, hits[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance of a and b, or limit+1 as soon
// as it is known to exceed limit.
func editDistance(a, b []rune, limit int) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
