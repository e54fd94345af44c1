package cmd

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update-scripts", false, "rewrite the expected output in testdata/script/*.txtar")

// scriptCmds are extra testscript commands; test files of this package add
// theirs in init (e.g. the Genesys emulator).
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){}

func TestMain(m *testing.M) {
	if os.Getenv("FLOWCTL_TEST_SIGNAL_CHILD") == "1" {
		signalChild()
		return
	}
	testscript.Main(m, map[string]func(){
		"flowctl": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScript runs the end-to-end suites in testdata/script: each .txtar is a
// shell-like script running the real flowctl binary.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *updateScripts,
		Cmds:                scriptCmds,
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Setup: func(env *testscript.Env) error {
			// Hermetic: no credentials, colour or terminal from the caller.
			for _, k := range []string{"GENESYSCLOUD_OAUTHCLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_SECRET", "GENESYSCLOUD_REGION", "GENESYSCLOUD_ACCESS_TOKEN", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "FLOWCTL_FORCE_TTY"} {
				env.Setenv(k, "")
			}
			return nil
		},
	})
}
