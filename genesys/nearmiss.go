package genesys

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/flowctl/flowctl/flow"
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
	want := normalizeName(name)
	limit := min(max(utf8.RuneCountInString(want)/4, 1), 3)
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
		if d := flow.EditDistance(want, normalizeName(c), limit); d <= limit {
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
