package schemas

import (
	"fmt"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/internal/suggest"
)

// suggestFields sets Suggest on each unknown-field problem whose key is a
// probable misspelling of a field the schema declares there, and drops the
// "missing required field" a misspelling explains: `tpye: say` is one
// problem (unknown field "tpye"; did you mean "type"?), not two.
func suggestFields(all []worded) []Problem {
	meant := map[string][]string{} // mapping path -> fields misspelt keys stand for
	for i := range all {
		f := &all[i]
		if f.Key == "" {
			continue
		}
		if s := suggest.Closest(f.Key, f.fields); s != "" {
			f.Suggest = s
			f.Message += fmt.Sprintf("; did you mean %q?", s)
			parent := strings.TrimSuffix(strings.TrimSuffix(f.Path, f.Key), ".")
			meant[parent] = append(meant[parent], s)
		}
	}
	out := make([]Problem, 0, len(all))
	for _, f := range all {
		if f.Kind == "required" {
			var still []string
			for _, m := range f.missing {
				if !slices.Contains(meant[f.Path], m) {
					still = append(still, m)
				}
			}
			if len(still) == 0 {
				continue
			}
			f.Message = missingFields(still)
		}
		out = append(out, f.Problem)
	}
	return out
}
