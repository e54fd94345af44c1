// Package lsp is flowctl's language server: the Language Server Protocol
// over a stream (stdio for flowctl lsp) for flow files (*.flow.yaml), test
// files (*.test.yaml) and the project config (flowctl.yaml).
//
// Diagnostics are flowctl validate's findings, made by the same call
// (flow.CheckFile) on the editor's unsaved text; the rest (completion,
// definition, references, rename, document symbols, hover, code actions)
// reads the same flow model. Messages are framed and dispatched by
// github.com/sourcegraph/jsonrpc2 with the protocol types of
// github.com/tliron/glsp; the server writes nothing but protocol to its
// stream and logs to Options.Log.
//
// lsp imports flow, simulate (test files), schemas, config and genesys (org
// files and queue facts); it never imports cmd, serve or graph, and uses
// the network only through Options.Online, which cmd sets when a project
// config asks for online checks.
package lsp
