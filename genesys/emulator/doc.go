// Package emulator is an in-process Genesys Cloud, an http.Handler serving
// an org file: OAuth client credentials, the platform endpoints flowctl
// uses, Open Messaging (inbound messages, the signed outbound webhook with
// Genesys's timeout and retries), message conversations in both shapes
// with participants that appear a moment late, and the Notification API
// (channels, subscriptions, the websocket with heartbeats and the real
// topic bodies). It writes package genesys's own wire types, checked
// against the fixtures of real shapes; it sends no event real Genesys does
// not (no agent presence on the webhook). Every UNCONFIRMED behaviour is a
// switch in Options, settable by name (Switches, Options.Set). An agent
// side drives a desk.
//
// emulator imports genesys, genesys/org, internal/suggest and
// coder/websocket. Only tests, cmd and serve may import it: flow,
// simulate, genesys and org never do (layering_test.go).
package emulator
