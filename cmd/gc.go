package cmd

import (
	"os"
	"runtime"
	"runtime/debug"
	"slices"
)

// validate collects garbage by a memory budget sized to its input rather
// than by GOGC's proportion of the live heap: a run is short and
// allocates far more than it keeps (each file's model is dropped once it
// is checked), so for a directory of flows the live heap is small and a
// proportion of it means a collection every few files, while for one
// large file the heap must be let grow with the file.
const (
	// minHeapBudget is the least heap validate lets grow before it collects.
	minHeapBudget = 60 << 20
	// heapPerInputByte is the heap let grow per byte of the files being
	// checked at once: checking a flow keeps about 27 bytes per byte of
	// it live at its peak (flows with an expression in most blocks).
	heapPerInputByte = 32
)

// heapBudget is the memory limit for checking files of these sizes,
// parallel at a time: what the largest parallel of them need together,
// and at least minHeapBudget.
func heapBudget(sizes []int64, parallel int) int64 {
	sizes = slices.Clone(sizes)
	slices.SortFunc(sizes, func(a, b int64) int { return int(b - a) })
	var inflight int64
	for _, s := range sizes[:min(parallel, len(sizes))] {
		inflight += s
	}
	return max(minHeapBudget, heapPerInputByte*inflight)
}

// tuneGC makes validate collect by heapBudget for files, unless getenv
// (the process environment, which the runtime reads) sets GOGC or
// GOMEMLIMIT; the function it returns restores the collector's settings.
func tuneGC(getenv func(string) string, files []string) func() {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	sizes := make([]int64, 0, len(files))
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			sizes = append(sizes, st.Size()) // the loader reports the others
		}
	}
	limit := debug.SetMemoryLimit(heapBudget(sizes, runtime.GOMAXPROCS(0)))
	percent := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
