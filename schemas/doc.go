// Package schemas embeds flowctl's JSON Schemas (flow, test, org and config
// files) and compiles each once, and is the one YAML reader of those files,
// for every command and the language server: it reads them (regular files
// of at most MaxFileSize), refuses documents too deep or too large before
// any parser runs (CheckNesting, NewDecoder), positions syntax errors, and
// checks documents against the schemas. It imports nothing of flowctl.
package schemas
