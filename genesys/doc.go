// Package genesys talks to Genesys Cloud for flowctl: region resolution, a
// typed client over net/http (OAuth client credentials, retries, paging,
// rate limiting), the org file (a snapshot of an organisation, spec §4), the
// queue resolution shared by check-queue and validate, and an in-process
// emulator (an http.Handler) that serves an org file with Genesys's JSON
// shapes and switchable faults.
//
// genesys depends on the standard library, yaml.v3, schemas (the org file's
// JSON Schema) and flow (only for the QueueVerdict data types). It never
// imports cmd or simulate, and it never prints: secrets are never part of an
// error, a log line or a file it writes.
package genesys
