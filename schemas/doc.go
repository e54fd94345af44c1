// Package schemas embeds flowctl's JSON Schemas (flow, test and org files)
// and compiles each once. It imports nothing of flowctl.
package schemas
