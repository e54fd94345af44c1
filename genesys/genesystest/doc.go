// Package genesystest helps tests of the Genesys client, the org file, the
// emulator and their callers: the example org, a fake clock and an
// emulator with a client of it on that clock.
//
// It imports genesys, genesys/org and genesys/emulator; only tests import
// it (see layering_test.go).
package genesystest
