package cmd

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// allCommands returns root and every command below it.
func allCommands(root *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{root}
	for _, c := range root.Commands() {
		out = append(out, allCommands(c)...)
	}
	return out
}

// TestEnumFlags: every --format and --color is an enum flag, so a bad value
// is refused when flags are parsed and completion offers the values.
func TestEnumFlags(t *testing.T) {
	f, _ := newTestFactory(nil)
	root := newRootCmd(f)
	seen := 0
	for _, c := range allCommands(root) {
		c.LocalFlags().VisitAll(func(fl *pflag.Flag) {
			if fl.Name != "format" && fl.Name != "color" {
				return
			}
			seen++
			v, ok := fl.Value.(*enumValue)
			if !ok {
				t.Errorf("%s --%s is a %T, not an enum flag", c.CommandPath(), fl.Name, fl.Value)
				return
			}
			comp, ok := c.GetFlagCompletionFunc(fl.Name)
			if !ok {
				t.Errorf("%s --%s: no completion", c.CommandPath(), fl.Name)
				return
			}
			got, dir := comp(c, nil, "")
			if d := cmp.Diff(v.flag.Values, got); d != "" || dir != cobra.ShellCompDirectiveNoFileComp {
				t.Errorf("%s --%s: completion (-want +got):\n%s", c.CommandPath(), fl.Name, d)
			}
			if !slices.Contains(v.flag.Values, fl.DefValue) {
				t.Errorf("%s --%s: default %q is not a value", c.CommandPath(), fl.Name, fl.DefValue)
			}
			if !strings.Contains(fl.Usage, v.flag.list()) {
				t.Errorf("%s --%s: help %q does not list the values", c.CommandPath(), fl.Name, fl.Usage)
			}
		})
	}
	// validate, test, simulate, graph, check-queue and the root's --color.
	if seen != 6 {
		t.Errorf("found %d --format/--color flags, want 6", seen)
	}
}

func TestEnumValue(t *testing.T) {
	var got string
	v := &enumValue{flag: enumFlag{Name: "format", Values: []string{"text", "json", "junit"}}, p: &got}
	if err := v.Set("json"); err != nil || got != "json" {
		t.Errorf("json: %q, %v", got, err)
	}
	err := v.Set("xml")
	if err == nil || err.Error() != `invalid --format "xml": want text, json, junit` || got != "json" {
		t.Errorf("xml: %q, %v", got, err)
	}
	v.flag.Or = true
	if err := v.Set("JSON"); err == nil || err.Error() != `invalid --format "JSON": want text, json or junit` {
		t.Errorf("JSON: %v", err)
	}
	v.flag.Values = []string{"mermaid", "dot"}
	if l := v.flag.list(); l != "mermaid or dot" {
		t.Errorf("two values: %q", l)
	}
}

func TestPositiveDuration(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	var d time.Duration
	addTimeoutFlag(fs, &d, 30*time.Second, "timeout")
	if d != 30*time.Second || fs.Lookup("timeout").DefValue != "30s" {
		t.Errorf("default %s (%s)", d, fs.Lookup("timeout").DefValue)
	}
	for in, want := range map[string]string{
		"0":   "invalid --timeout 0s: want a positive duration",
		"-1s": "invalid --timeout -1s: want a positive duration",
		"abc": `invalid argument "abc" for "--timeout" flag: time: invalid duration "abc"`,
	} {
		err := fs.Parse([]string{"--timeout", in})
		if err == nil {
			t.Errorf("%s: no error", in)
			continue
		}
		_, msg := exitCode(flagError(nil, err))
		if code, _ := exitCode(flagError(nil, err)); code != ExitUsage || msg != want {
			t.Errorf("%s: exit %d, %q; want 2, %q", in, code, msg, want)
		}
	}
	if err := fs.Parse([]string{"--timeout", "250ms"}); err != nil || d != 250*time.Millisecond {
		t.Errorf("250ms: %s, %v", d, err)
	}
}

// TestOrgFlags: --client without --org is refused before the command runs,
// by every command that has the pair.
func TestOrgFlags(t *testing.T) {
	for _, args := range [][]string{
		{"validate", "--client", "Bot", "missing.flow.yaml"},
		{"simulate", "--client", "Bot", "missing.flow.yaml"},
		{"serve", "--client", "Bot", "missing.flow.yaml"},
		{"check-queue", "--client", "Bot", "Q"},
	} {
		_, errOut, code := execFlowctl(t, nil, false, args...)
		if code != ExitUsage || errOut != "flowctl: --client names a client of the org file: use it with --org\nRun 'flowctl "+args[0]+" --help' for usage.\n" {
			t.Errorf("%s: exit %d, stderr %q", args[0], code, errOut)
		}
	}
}
