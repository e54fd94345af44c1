// Package genesys talks to Genesys Cloud for flowctl: region resolution, a
// typed client over net/http (OAuth client credentials, one retry loop,
// paging, rate limiting), the JSON documents of the platform API, of Open
// Messaging and of the Notification API (shaped from the SDK models; the
// fixtures in testdata hold each real shape), the queue facts with the
// one queue decision (Resolve) that check-queue, validate, simulate/test
// --org and serve's handover all use, and the conversation lifecycle's
// sources: a notification stream (channel, subscriptions, websocket,
// heartbeats, renewal) and a poller of GET
// /api/v2/conversations/messages/{id}.
//
// genesys depends on the standard library, coder/websocket and flow (only
// for the QueueVerdict data types). It never imports cmd, simulate, serve
// or its subpackages (org, emulator, genesystest), and it never prints:
// secrets are never part of an error, a log line or a file it writes.
package genesys
