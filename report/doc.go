// Package report renders what flowctl's commands found, for people and
// machines: validate's findings (text, json, junit, sarif, github), test
// results (text, json, junit), coverage, an exploration, and check-queue's
// report. Commands build the values and choose the format; report only
// writes. It imports flow, simulate and genesys (for check-queue's report),
// never cmd.
package report
