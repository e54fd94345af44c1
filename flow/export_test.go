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

// PipelineFrom sets the file size from which loading uses a second core,
// and returns a function that restores it.
func PipelineFrom(n int) func() {
	old := pipelineFrom
	pipelineFrom = n
	return func() { pipelineFrom = old }
}
