// Package flow is the model of a flowctl flow file: a loader that keeps YAML
// positions, compiled expressions and templates (evaluated within run-time
// budgets), and the validation rules that turn a file into findings.
//
// flow depends only on schemas, internal/suggest, internal/lazyre, yaml.v3 and expr; it never imports
// genesys, simulate or cmd. Queue checks reach it as data (QueueReport).
package flow
