package genesys

import "context"

// Internals for the tests of package genesys_test.
var (
	NearMisses      = nearMisses
	ParseRetryAfter = parseRetryAfter
	NewLimiter      = newLimiter
)

// Wait is limiter.wait.
func (l *limiter) Wait(ctx context.Context) error { return l.wait(ctx) }
