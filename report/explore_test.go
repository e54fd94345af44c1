package report

import (
	"strings"
	"testing"

	"github.com/flowctl/flowctl/simulate"
)

// TestExploreTruncationSays checks that a report cut short says which
// limit cut it, with the limit's value.
func TestExploreTruncationSays(t *testing.T) {
	for _, tt := range []struct {
		cut  []simulate.Cut
		want string
	}{
		{cut: []simulate.Cut{{Limit: simulate.CutStates, Max: 200000}},
			want: "warning: the state limit was reached (200,000 states): some paths were not explored\n"},
		{cut: []simulate.Cut{{Limit: simulate.CutPath, Max: 10000}},
			want: "warning: a path was cut after 10,000 decisions (the path limit): what follows on it was not explored\n"},
		{cut: []simulate.Cut{{Limit: simulate.CutStates, Max: 5}, {Limit: simulate.CutPath, Max: 7}},
			want: "warning: the state limit was reached (5 states): some paths were not explored\nwarning: a path was cut after 7 decisions (the path limit): what follows on it was not explored\n"},
	} {
		var out strings.Builder
		WriteExplore(&out, NewStyles(&out, false), &simulate.ExploreReport{File: "x.flow.yaml", Truncated: true, TruncatedBy: tt.cut})
		if !strings.Contains(out.String(), "explored)\n"+tt.want+"closures:") {
			t.Errorf("output:\n%s\nwant the warnings:\n%s", out.String(), tt.want)
		}
	}
}
