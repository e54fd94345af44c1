// Package simulate runs conversations against a flow: the one engine behind
// flowctl simulate, flowctl test and (with a real clock) flowctl serve.
//
// It implements the conversation semantics of the product contract (§5):
// owner states bot, queued, agent and closed; the inactivity timer that runs
// only while the bot owns the chat and waits for input; Redirect handovers
// resolved by exact queue name through a QueueResolver; agent join, say,
// transfer (to a queue or to another agent), close and Genesys timeout; resume after the Redirect; closure
// reasons. It also holds the offline intent recogniser, the ask entities,
// the conversation test-file runner, coverage and the path explorer.
//
// Time comes from a Clock (VirtualClock for simulate and test), never from
// time.Now, and nothing uses global randomness: identical input gives an
// identical transcript. Events leave a Session through a sink callback.
//
// Dependencies: the flow and schemas packages, yaml.v3, expr-lang's parser
// and syntax tree (the explorer reads conditions) and the standard library.
// It never imports genesys or cmd and never prints.
package simulate
