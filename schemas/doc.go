// Package schemas embeds flowctl's JSON Schemas (flow, test, org and config
// files) and is the one YAML reader of those files, for every command and
// the language server: it reads them (ReadFile: regular files of at most
// MaxFileSize) and ReadDocument turns their bytes into the one document
// and every problem of it, one way for every kind of file (read.go):
// documents too deep or too large refused before any parser runs
// (CheckNesting, Decode), syntax errors positioned, an empty file, a second
// document, another kind of flowctl file (kind.go), repeated keys, and the
// kind's schema. Each format keeps only its builder and maps Problem kinds
// to its own terms. The check is in two parts: a walk of the
// yaml.Node tree decides whether a document is valid (compile.go,
// valid.go: no conversion, no allocation), and only an invalid document is
// validated with the jsonschema library, whose errors are worded into
// problems (words.go; the schema is compiled for it on first use). Tests
// hold the two to the same verdict. It imports nothing of flowctl but
// internal/suggest, internal/words and internal/lazyre.
package schemas
