// Package graph draws a flow file as a diagram: a Mermaid flowchart or a
// Graphviz digraph, with an optional coverage overlay. It builds one model
// (Graph: clusters, nodes, edges, labels, ids) and renders it in either
// syntax, deterministically.
//
// flowctl graph and flowctl test --coverage --graph use it. A new output
// format is one more renderer of the model, named in Formats.
//
// graph imports flow (the model it draws) and simulate (durations as the
// chat page shows them); it never imports cmd, serve or genesys, and never
// writes files or prints.
package graph
