package simulate

import (
	"strings"

	"github.com/flowctl/flowctl/flow"
)

// maxSpliceSample bounds the pattern sample (in runes) a literal is spliced
// into at every position, and so the candidates one target makes.
const maxSpliceSample = 64

// wraps are messages that may carry a target through ask b's entity: the
// value itself, inside an e-mail address or a phone number, or, for a
// pattern entity, spliced into a string the pattern matches (over its
// start, its end or its middle, or inserted there). The caller keeps the
// first one the entity accepts with the value aimed at.
func wraps(b *flow.Block, t target) []string {
	s := t.raw
	if t.fn == "len" {
		n := len(s)
		out := []string{s, strings.Repeat("5", n)}
		if n > len("@example.com") {
			out = append(out, strings.Repeat("x", n-len("@example.com"))+"@example.com")
		}
		return out
	}
	out := []string{s, "ann" + s, s + "@example.com", "ann@example" + s, s + "5550100", "+1555" + s}
	if b.Entity == flow.EntityPattern && b.Pattern != nil {
		if sample, ok := RegexpSample(b.Pattern); ok {
			out = append(out, splices(sample, s)...)
		}
	}
	return out
}

// splices returns lit written over sample at its start, at its end and at
// each position between, then lit inserted at the same places: for a
// pattern sample AA-0000, startsWith "XY" gives XY-0000, endsWith "99"
// AA-0099 and contains "-5" AA-5000.
func splices(sample, lit string) []string {
	sr, lr := []rune(sample), []rune(lit)
	if len(sr) > maxSpliceSample || len(lr) == 0 {
		return nil
	}
	over := func(i int) string { return string(sr[:i]) + lit + string(sr[i+len(lr):]) }
	var out []string
	if last := len(sr) - len(lr); last >= 0 {
		out = append(out, over(0))
		if last > 0 {
			out = append(out, over(last))
		}
		for i := 1; i < last; i++ {
			out = append(out, over(i))
		}
	}
	for i := 0; i <= len(sr); i++ {
		out = append(out, string(sr[:i])+lit+string(sr[i:]))
	}
	return out
}
