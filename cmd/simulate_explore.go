package cmd

import (
	"encoding/json"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/report"
	"github.com/flowctl/flowctl/simulate"
)

// runExplore walks every path of p and reports; paths that cannot
// terminate make the exit status 1.
func runExplore(f *Factory, p *flow.Project, resolver simulate.QueueResolver, format string) error {
	r, err := simulate.Explore(f.Context, p, simulate.ExploreOptions{Resolver: resolver})
	if err != nil {
		return failure(err)
	}
	if format == "json" {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return failure(err)
		}
	} else {
		report.WriteExplore(f.IO.Out, newStyles(f.IO), r)
	}
	if len(r.Loops) > 0 {
		return errFindings
	}
	return nil
}
