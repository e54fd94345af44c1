// Package emulator is an in-process Genesys Cloud, an http.Handler serving
// an org file: OAuth client credentials, the platform endpoints flowctl
// uses and Open Messaging, written with package genesys's own wire types,
// with division-scoped visibility, switchable faults and an agent side for
// a desk.
//
// emulator imports genesys and genesys/org. Only tests, cmd and serve may
// import it: flow, simulate, genesys and org never do (layering_test.go).
package emulator
