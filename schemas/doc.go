// Package schemas embeds flowctl's JSON Schemas (flow, test, org and config
// files) and is the one YAML reader of those files, for every command and
// the language server: it reads them (regular files of at most
// MaxFileSize), refuses documents too deep or too large before any parser
// runs (CheckNesting, NewDecoder), positions syntax errors, and checks
// documents against the schemas. The check walks the yaml.Node tree itself,
// for the keywords the schemas use (compile.go, check.go); the jsonschema
// library is only the tests' oracle, so the binary does not compile every
// draft's meta-schema when it starts. It imports nothing of flowctl but
// internal/suggest.
package schemas
