package cmd

import (
	"errors"
	"strings"
	"testing"
)

// TestExitCodeReadsNoText: only cobra's "unknown command" is known by its
// text; any other untyped error is an operational failure, whatever it
// says.
func TestExitCodeReadsNoText(t *testing.T) {
	for msg, want := range map[string]int{
		`unknown command "x" for "flowctl"`:           ExitUsage,
		"accepts 1 arg(s), received 2":                ExitFailure,
		"requires at least 1 arg(s), only received 0": ExitFailure,
		"open x: unknown flag in the file":            ExitFailure,
		"invalid argument":                            ExitFailure,
	} {
		if code, got := exitCode(errors.New(msg)); code != want || got != msg {
			t.Errorf("%q: exit %d (%q), want %d", msg, code, got, want)
		}
	}
	if code, msg := exitCode(usageErrorf("bad")); code != ExitUsage || msg != "bad" {
		t.Errorf("usage error: %d %q", code, msg)
	}
	if code, msg := exitCode(errFindings); code != ExitFindings || msg != "" {
		t.Errorf("findings: %d %q", code, msg)
	}
}

// TestUsageErrorsTyped: a wrong number of arguments, a bad flag or an
// unknown command is exit 2 for every command, cobra's own included.
func TestUsageErrorsTyped(t *testing.T) {
	tests := []struct {
		args []string
		want string // the message after "flowctl: "
		help string // the command whose --help the error points at
	}{
		{args: []string{"check-queue"}, want: `check-queue needs the name of a queue to check, e.g. flowctl check-queue "Billing Support"`, help: "flowctl check-queue"},
		{args: []string{"version", "x"}, want: `unknown command "x" for "flowctl version"`, help: "flowctl version"},
		{args: []string{"org", "export", "x"}, want: `unknown command "x" for "flowctl org export"`, help: "flowctl org export"},
		{args: []string{"org", "nope"}, want: `unknown command "nope" for "flowctl org"`, help: "flowctl org"},
		{args: []string{"org", "exprt"}, want: `unknown command "exprt" for "flowctl org"; did you mean "export"?`, help: "flowctl org"},
		{args: []string{"valdate"}, want: `unknown command "valdate" for "flowctl"; did you mean "validate"?`, help: "flowctl"},
		{args: []string{"s"}, want: `unknown command "s" for "flowctl"; did you mean "simulate", "schema", "serve" or "lsp"?`, help: "flowctl"},
		{args: []string{"completion", "tcsh"}, want: `unknown shell "tcsh" for "flowctl completion": want bash, fish, powershell, zsh`, help: "flowctl completion"},
		{args: []string{"schema"}, want: "schema takes one argument: config, flow, org, test", help: "flowctl schema"},
		{args: []string{"simulate"}, want: "simulate takes one flow file, got 0 arguments", help: "flowctl simulate"},
		{args: []string{"serve", "a", "b"}, want: "serve takes one flow file, got 2 arguments", help: "flowctl serve"},
		{args: []string{"graph"}, want: "graph takes one flow file, got 0 arguments", help: "flowctl graph"},
		{args: []string{"completion", "bash", "x"}, want: `unknown command "x" for "flowctl completion bash"`, help: "flowctl completion bash"},
		{args: []string{"frobnicate"}, want: `unknown command "frobnicate" for "flowctl"`, help: "flowctl"},
		{args: []string{"validate", "--nope"}, want: "unknown flag: --nope", help: "flowctl validate"},
		{args: []string{"graph", "-o"}, want: "flag needs an argument: 'o' in -o", help: "flowctl graph"},
		{args: []string{"validate", "--strict=maybe"}, want: `invalid argument "maybe" for "--strict" flag: strconv.ParseBool: parsing "maybe": invalid syntax`, help: "flowctl validate"},
		{args: []string{"test", "--graph", "x.md"}, want: "--graph draws the coverage: use it with --coverage", help: "flowctl test"},
		{args: []string{"--nope"}, want: "unknown flag: --nope", help: "flowctl"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, code := execFlowctl(t, nil, false, tt.args...)
			want := "flowctl: " + tt.want + "\nRun '" + tt.help + " --help' for usage.\n"
			if code != ExitUsage || out != "" || errOut != want {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, out, errOut, want)
			}
		})
	}
}
