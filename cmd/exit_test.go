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
	}{
		{args: []string{"check-queue"}, want: "requires at least 1 arg(s), only received 0"},
		{args: []string{"version", "x"}, want: `unknown command "x" for "flowctl version"`},
		{args: []string{"org", "export", "x"}, want: `unknown command "x" for "flowctl org export"`},
		{args: []string{"org", "nope"}, want: `unknown command "nope" for flowctl org`},
		{args: []string{"schema"}, want: "schema takes one argument: config, flow, org, test"},
		{args: []string{"simulate"}, want: "simulate takes one flow file, got 0 arguments"},
		{args: []string{"serve", "a", "b"}, want: "serve takes one flow file, got 2 arguments"},
		{args: []string{"graph"}, want: "graph takes one flow file, got 0 arguments"},
		{args: []string{"completion", "bash", "x"}, want: `unknown command "x" for "flowctl completion bash"`},
		{args: []string{"frobnicate"}, want: `unknown command "frobnicate" for "flowctl"`},
		{args: []string{"validate", "--nope"}, want: "unknown flag: --nope"},
		{args: []string{"graph", "-o"}, want: "flag needs an argument: 'o' in -o"},
		{args: []string{"validate", "--strict=maybe"}, want: `invalid argument "maybe" for "--strict" flag: strconv.ParseBool: parsing "maybe": invalid syntax`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, code := execFlowctl(t, nil, false, tt.args...)
			want := "flowctl: " + tt.want + "\nRun 'flowctl --help' for usage.\n"
			if code != ExitUsage || out != "" || !strings.HasPrefix(errOut, "flowctl: "+tt.want) || !strings.HasSuffix(errOut, "Run 'flowctl --help' for usage.\n") {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, out, errOut, want)
			}
		})
	}
}
