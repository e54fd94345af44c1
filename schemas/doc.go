// Package schemas embeds flowctl's JSON Schemas (flow, test, org and config
// files) and is the one YAML reader of those files, for every command and
// the language server: it reads them (regular files of at most
// MaxFileSize), refuses documents too deep or too large before any parser
// runs (CheckNesting, NewDecoder), positions syntax errors, and checks
// documents against the schemas. The check is in two parts: a walk of the
// yaml.Node tree decides whether a document is valid (compile.go,
// valid.go: no conversion, no allocation), and only an invalid document is
// validated with the jsonschema library, whose errors are worded into
// problems (words.go; the schema is compiled for it on first use). Tests
// hold the two to the same verdict. It imports nothing of flowctl but
// internal/suggest and internal/lazyre.
package schemas
