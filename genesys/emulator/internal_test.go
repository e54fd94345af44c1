package emulator

// Internals for the tests of package emulator_test.
const (
	MaxConversationMessages = maxConversationMessages
	MaxConversationBytes    = maxConversationBytes
	MaxRequestBytes         = maxRequestBytes
)

// Tokens returns how many access tokens the emulator keeps.
func (e *Server) Tokens() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.tokens)
}

// WithDefaults is Options.withDefaults.
func (opts Options) WithDefaults() Options { return opts.withDefaults() }
