// Package schemas embeds flowctl's JSON Schemas (flow, test, org and config
// files) and is the one YAML reader of those files, for every command and
// the language server: it reads them (ReadFile: regular files of at most
// MaxFileSize) and ReadDocument turns their bytes into the one document
// and every problem of it, one way for every kind of file (read.go):
// documents too deep or too large refused before any parser runs
// (CheckNesting, Decode), syntax errors positioned, an empty file, a second
// document, another kind of flowctl file (kind.go), repeated keys, and the
// kind's schema. Each format keeps only its builder and maps Problem kinds
// to its own terms. The schema check is one walk of the yaml.Node tree
// against the schema compiled for it (compile.go, valid.go): as a
// predicate it decides whether a document is valid with no conversion and
// no allocation; only for an invalid document does it walk again,
// explaining, and what failed is worded into problems (words.go,
// alternatives.go). The jsonschema library is the reference in the tests:
// every document the tests meet (the project's YAML files, each mutated,
// and fuzzed ones) gets the same verdict and the same problems from the
// library's error tree; flowctl does not link it, since its package
// initialisation compiles every JSON Schema draft's meta-schema in every
// process. It imports nothing of flowctl but internal/suggest,
// internal/words and internal/lazyre.
package schemas
