// Package lsptest drives a language server through a real pipe with real
// protocol messages (Content-Length framed JSON-RPC), for the tests of lsp
// and cmd: Start runs the server on one end, Client speaks on the other
// and records what the server publishes.
//
// lsptest imports only github.com/sourcegraph/jsonrpc2 and the standard
// library.
package lsptest
