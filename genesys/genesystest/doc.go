// Package genesystest helps tests of the Genesys client, the org file, the
// emulator and their callers: the example org, fake clocks (one that
// sleeps instantly, one moved by hand), an emulator with a client of it,
// and the fixtures of real payloads with a shape check.
//
// It imports genesys, genesys/org and genesys/emulator; only tests import
// it (see layering_test.go).
package genesystest
