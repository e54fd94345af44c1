// Package org reads, checks and writes org files (spec §4): a snapshot of a
// Genesys Cloud organisation (divisions, queues, roles, OAuth clients,
// integrations, agents). Facts turns a file into the facts genesys.Resolve
// decides on, as a client's online facts are; Export builds a file from
// what a genesys.Client can see; Marshal writes one without secrets.
//
// org imports genesys, schemas (the org file's JSON Schema and YAML
// reading) and yaml.v3. It never imports cmd, simulate, serve or
// genesys/emulator.
package org
