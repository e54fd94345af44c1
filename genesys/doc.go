// Package genesys talks to Genesys Cloud for flowctl: region resolution, a
// typed client over net/http (OAuth client credentials, one retry loop,
// paging, rate limiting), the JSON documents of the platform API and of
// Open Messaging, and the queue facts with the one queue decision (Resolve)
// that check-queue, validate, simulate/test --org and serve's handover all
// use.
//
// genesys depends on the standard library and flow (only for the
// QueueVerdict data types). It never imports cmd, simulate, serve or its
// subpackages (org, emulator, genesystest), and it never prints: secrets
// are never part of an error, a log line or a file it writes.
package genesys
