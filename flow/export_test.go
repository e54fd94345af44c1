package flow

// ResetExprCache empties the shared expression cache, so benchmarks measure
// a cold run as the CLI does.
func ResetExprCache() {
	checked.Lock()
	checked.m = nil
	checked.Unlock()
}
