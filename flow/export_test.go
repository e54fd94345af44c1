package flow

// ResetExprCache empties the shared expression cache, so benchmarks measure
// a cold run as the CLI does.
func ResetExprCache() {
	checked.Lock()
	checked.m = nil
	checked.Unlock()
}

// ParallelRulesFrom sets the number of blocks from which the rules run
// concurrently, and returns a function that restores it.
func ParallelRulesFrom(n int) func() {
	old := parallelRulesFrom
	parallelRulesFrom = n
	return func() { parallelRulesFrom = old }
}

// PipeExprsFrom sets the file size from which expressions are checked
// while the file is read, and returns a function that restores it.
func PipeExprsFrom(n int) func() {
	old := pipeExprsFrom
	pipeExprsFrom = n
	return func() { pipeExprsFrom = old }
}
