// Package config reads the project config file (flowctl.yaml): the org file,
// OAuth client, optional rules, strict mode, test folders and online checks
// that validate, test, simulate, serve and lsp use unless a flag says
// otherwise. Find walks up from a directory to the file; Parse reports a bad
// file as findings at line:col, like a flow file's.
//
// config imports flow (findings, rule ids) and schemas (the YAML reader and
// the config schema); it never imports genesys, simulate, serve, lsp or cmd.
package config
