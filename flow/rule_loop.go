package flow

import (
	"fmt"
	"strings"
)

var ruleBotLoop = &Rule{
	ID: RuleBotLoop, Severity: SeverityError,
	Summary: "a cycle of blocks that never waits for user input and has no way out (the bot would loop forever); a handover that keeps failing is no way out",
	check: func(ps *pass) {
		for _, cycle := range botLoops(ps.p) {
			ids := make([]string, 0, len(cycle)+1)
			for _, b := range cycle {
				ids = append(ids, blockName(b))
			}
			ids = append(ids, blockName(cycle[0]))
			path := strings.Join(ids, " → ")
			if r, e, ok := failedHandoverEdge(cycle); ok {
				repeat := fmt.Sprintf("blocks %s repeat", path)
				if len(cycle) == 1 {
					repeat = "its onError leads back to it"
				}
				ps.report(e.Pos, "when the handover of redirect %s fails, %s without waiting for user input: a handover that keeps failing makes the bot retry without end, flooding the chat with any text on the way; let onError wait for input (e.g. ask whether to try again) or leave the loop (count the tries in a condition)", r.label(), repeat)
				continue
			}
			if len(cycle) == 1 {
				ps.report(closingEdge(cycle).Pos, "block %s leads back to itself without waiting for user input: the bot would run forever; add a block with input or an exit", blockName(cycle[0]))
				continue
			}
			ps.report(closingEdge(cycle).Pos, "blocks %s form a loop that never waits for user input: the bot would run forever; add a block with input or an exit", path)
		}
	},
}

// cycleEdge returns the edge from the i-th block of a cycle to the next.
func cycleEdge(cycle []*Block, i int) Edge {
	to := cycle[(i+1)%len(cycle)]
	for _, e := range cycle[i].Edges() {
		if e.To == to && e.Kind != EdgeResume {
			return e
		}
	}
	return Edge{From: cycle[i], To: to, Pos: cycle[i].At()}
}

// closingEdge returns the edge that leads from the last block of a cycle
// back to its first: where the loop closes.
func closingEdge(cycle []*Block) Edge { return cycleEdge(cycle, len(cycle)-1) }

// failedHandoverEdge returns the first redirect of a cycle with its onError
// edge, when the cycle runs through one.
func failedHandoverEdge(cycle []*Block) (*Block, Edge, bool) {
	for i, b := range cycle {
		if e := cycleEdge(cycle, i); b.Type == TypeRedirect && e.Kind == EdgeOnError {
			return b, e, true
		}
	}
	return nil, Edge{}, false
}

func blockName(b *Block) string {
	id := b.ID
	if id == "" {
		id = fmt.Sprintf("(line %d)", b.Pos.Line)
	}
	if b.Flow != nil && b.Flow.project != nil && len(b.Flow.project.Flows) > 1 {
		return b.Flow.Name + "." + id
	}
	return id
}

// botLoops returns the cycles among blocks that run without waiting for the
// user: strongly connected components of the graph of non-waiting blocks
// along edges the bot takes by itself (a redirect's resume edge needs an
// agent to close the chat first, so it is not one). Each cycle starts at its
// first block in file order.
func botLoops(p *Project) [][]*Block {
	var nodes []*Block
	for _, f := range p.Flows {
		for _, b := range f.Blocks {
			// A block of unknown type is not known to run without waiting.
			if f.Block(b.ID) == b && b.Type != "" {
				nodes = append(nodes, b)
			}
		}
	}
	succ := func(b *Block) []*Block {
		if b.WaitsForInput() {
			return nil
		}
		var out []*Block
		for _, e := range b.Edges() {
			if e.To != nil && e.Kind != EdgeResume && e.To.Type != "" && !e.To.WaitsForInput() {
				out = append(out, e.To)
			}
		}
		return out
	}
	// Tarjan's algorithm, iterative so deep graphs cannot overflow the stack.
	index := map[*Block]int{}
	low := map[*Block]int{}
	onStack := map[*Block]bool{}
	var stack []*Block
	var cycles [][]*Block
	next := 0
	type frame struct {
		b    *Block
		succ []*Block
		i    int
	}
	for _, root := range nodes {
		if _, ok := index[root]; ok {
			continue
		}
		work := []*frame{{b: root, succ: succ(root)}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(work) > 0 {
			fr := work[len(work)-1]
			if fr.i < len(fr.succ) {
				w := fr.succ[fr.i]
				fr.i++
				if _, ok := index[w]; !ok {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					work = append(work, &frame{b: w, succ: succ(w)})
				} else if onStack[w] {
					low[fr.b] = min(low[fr.b], index[w])
				}
				continue
			}
			work = work[:len(work)-1]
			if len(work) > 0 {
				parent := work[len(work)-1].b
				low[parent] = min(low[parent], low[fr.b])
			}
			if low[fr.b] != index[fr.b] {
				continue
			}
			var comp []*Block
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp = append(comp, w)
				if w == fr.b {
					break
				}
			}
			if (len(comp) > 1 || selfLoop(comp[0], succ)) && !escapes(comp) {
				cycles = append(cycles, cyclePath(comp, nodes, succ))
			}
		}
	}
	return cycles
}

// escapes reports whether a session can leave the cycle: a block in it ends
// the session or has an edge out of the cycle (taken when its condition
// holds). A redirect in the cycle is no way out: its onError edge is in the
// cycle, and a handover that fails once (queue not found, not permitted)
// fails again at once. Only cycles with no way out are certain to run
// forever.
func escapes(comp []*Block) bool {
	in := make(map[*Block]bool, len(comp))
	for _, b := range comp {
		in[b] = true
	}
	for _, b := range comp {
		for _, x := range b.Exits() {
			if x.Reason == ReasonEndOfFlow {
				return true
			}
		}
		for _, e := range b.Edges() {
			if e.Kind != EdgeResume && (e.To == nil || !in[e.To]) {
				return true
			}
		}
	}
	return false
}

func selfLoop(b *Block, succ func(*Block) []*Block) bool {
	for _, s := range succ(b) {
		if s == b {
			return true
		}
	}
	return false
}

// cyclePath returns the shortest cycle through the component's first block
// in file order, as the blocks along it.
func cyclePath(comp []*Block, order []*Block, succ func(*Block) []*Block) []*Block {
	in := map[*Block]bool{}
	for _, b := range comp {
		in[b] = true
	}
	var first *Block
	for _, b := range order {
		if in[b] {
			first = b
			break
		}
	}
	prev := map[*Block]*Block{}
	queue := []*Block{first}
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		for _, s := range succ(b) {
			if !in[s] {
				continue
			}
			if s == first {
				var path []*Block
				for x := b; x != first; x = prev[x] {
					path = append(path, x)
				}
				path = append(path, first)
				for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path
			}
			if _, ok := prev[s]; !ok {
				prev[s] = b
				queue = append(queue, s)
			}
		}
	}
	return []*Block{first}
}
