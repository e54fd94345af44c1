package cmd

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/flowctl/flowctl/config"
	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/words"
	"github.com/spf13/cobra"
)

// projectConfig is the project config (flowctl.yaml) a command runs with.
// Precedence: a flag the user gave wins over the config, which wins over
// the defaults.
type projectConfig struct {
	*config.Config // nil when there is no config file
	// Findings are a bad file's problems; its settings are then not used.
	Findings []flow.Finding
}

// loadProjectConfig loads the file named by --config, else the nearest
// flowctl.yaml from the current directory up. A config file that cannot be
// read is an operational failure (exit 3).
func loadProjectConfig(f *Factory) (*projectConfig, error) {
	path := f.configFile
	if path == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, failure(err)
		}
		if path, err = config.Find(wd); err != nil {
			return nil, failuref("looking for %s: %v", config.FileName, err)
		}
		if path == "" {
			return &projectConfig{}, nil
		}
		if rel, err := filepath.Rel(wd, path); err == nil {
			path = rel
		}
	}
	cfg, fs, err := config.Load(path)
	if err != nil {
		return nil, failuref("cannot read config file %s: %v", path, flow.PathErrorCause(err))
	}
	return &projectConfig{Config: cfg, Findings: fs}, nil
}

// useConfig loads the project config before c's own flag checks run and
// hands it to apply, which copies the settings whose flags were not given
// (flagSet) into the command's options. A bad config file stops the
// command with its findings on stderr (exit 1) unless apply takes them
// itself (validate reports them with the flows' findings): it then
// returns handled.
func useConfig(c *cobra.Command, f *Factory, apply func(pc *projectConfig, flagSet func(string) bool) (handled bool)) {
	next := c.PreRunE
	c.PreRunE = func(c *cobra.Command, args []string) error {
		pc, err := loadProjectConfig(f)
		if err != nil {
			return err
		}
		flagSet := func(name string) bool { return c.Flags().Changed(name) }
		if handled := apply(pc, flagSet); !handled && len(pc.Findings) > 0 {
			printFindings(f, pc.Findings)
			errs, _ := flow.Count(pc.Findings)
			return &ExitError{Code: ExitFindings, Err: fmt.Errorf("config file %s has %s; fix it (flowctl schema config prints its format) or name another with --config", pc.File, words.Plural(errs, "error"))}
		}
		if next != nil {
			return next(c, args)
		}
		return nil
	}
}

// applyOrg copies the config's org file and OAuth client into o unless
// --org or --client was given: a flag replaces both settings.
func (pc *projectConfig) applyOrg(o *orgFlags, flagSet func(string) bool) {
	if pc.Config == nil || len(pc.Findings) > 0 || flagSet("org") {
		return
	}
	if pc.Set("org") {
		o.OrgFile = pc.Org
		o.From = fmt.Sprintf("%s:%d:%d", pc.File, pc.OrgPos.Line, pc.OrgPos.Col)
		if !flagSet("client") {
			o.Client = pc.Client
		}
	}
}
