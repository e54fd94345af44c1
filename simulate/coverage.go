package simulate

import (
	"slices"

	"github.com/flowctl/flowctl/flow"
)

// Coverage records which blocks, edges and exits a run took, keyed by
// flow.Block.Key, flow.Edge.Key and flow.Exit.Key. The zero value is not
// usable; use NewCoverage. A nil *Coverage records nothing.
type Coverage struct {
	Blocks map[string]bool
	Edges  map[string]bool
	Exits  map[string]bool
}

// NewCoverage returns an empty coverage record.
func NewCoverage() *Coverage {
	return &Coverage{Blocks: map[string]bool{}, Edges: map[string]bool{}, Exits: map[string]bool{}}
}

func (c *Coverage) block(b *flow.Block) {
	if c != nil {
		c.Blocks[b.Key()] = true
	}
}

func (c *Coverage) edge(e flow.Edge) {
	if c != nil {
		c.Edges[e.Key()] = true
	}
}

func (c *Coverage) exit(b *flow.Block, reason string) {
	if c != nil && b != nil {
		c.Exits[flow.Exit{Block: b, Reason: reason}.Key()] = true
	}
}

// adds reports whether o covers something c does not.
func (c *Coverage) adds(o *Coverage) bool {
	for _, p := range [][2]map[string]bool{{c.Blocks, o.Blocks}, {c.Edges, o.Edges}, {c.Exits, o.Exits}} {
		for k := range p[1] {
			if !p[0][k] {
				return true
			}
		}
	}
	return false
}

// Merge adds everything o covered.
func (c *Coverage) Merge(o *Coverage) {
	if o == nil {
		return
	}
	for k := range o.Blocks {
		c.Blocks[k] = true
	}
	for k := range o.Edges {
		c.Edges[k] = true
	}
	for k := range o.Exits {
		c.Exits[k] = true
	}
}

// Keys returns every covered key (blocks, edges and exits), sorted: what a
// coverage overlay needs.
func (c *Coverage) Keys() []string {
	var out []string
	for _, m := range []map[string]bool{c.Blocks, c.Edges, c.Exits} {
		for k := range m {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Tally counts covered items of one kind and lists those not covered, in
// file order.
type Tally struct {
	Covered    int      `json:"covered"`
	Total      int      `json:"total"`
	NotCovered []string `json:"notCovered"`
}

// Percent returns the covered share, 100 when there is nothing to cover.
func (t Tally) Percent() float64 {
	if t.Total == 0 {
		return 100
	}
	return 100 * float64(t.Covered) / float64(t.Total)
}

func (t *Tally) add(key string, covered bool) {
	t.Total++
	if covered {
		t.Covered++
	} else {
		t.NotCovered = append(t.NotCovered, key)
	}
}

// CoverageReport is a project's coverage: blocks, edges (including onError,
// resume and transfer edges, but not the edges no session takes: see
// flow.Edge.Never) and exits (handover-failed, agent,
// genesys-timeout, inactivity, end-of-flow).
type CoverageReport struct {
	File   string `json:"file"`
	Blocks Tally  `json:"blocks"`
	Edges  Tally  `json:"edges"`
	Exits  Tally  `json:"exits"`
}

// Report tallies c against every block, edge and exit of p.
func (c *Coverage) Report(p *flow.Project) CoverageReport {
	r := CoverageReport{File: p.File, Blocks: Tally{NotCovered: []string{}}, Edges: Tally{NotCovered: []string{}}, Exits: Tally{NotCovered: []string{}}}
	for _, f := range p.Flows {
		for _, b := range f.Blocks {
			r.Blocks.add(b.Key(), c.Blocks[b.Key()])
			for _, e := range b.Edges() {
				if !e.Never {
					r.Edges.add(e.Key(), c.Edges[e.Key()])
				}
			}
			for _, x := range b.Exits() {
				r.Exits.add(x.Key(), c.Exits[x.Key()])
			}
		}
	}
	return r
}
