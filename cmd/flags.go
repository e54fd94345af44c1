package cmd

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys/org"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Flag values are checked where they are parsed, before a command does any
// work: a bad value is a usage error (exit 2) whatever the rest of the
// command line names. Checks that need two flags run in the command's
// PreRunE, still before any work.

// flagValueError is a flag value a flowctl flag refuses; its message is
// the whole explanation ("invalid --format "x": want text, json").
type flagValueError struct{ msg string }

func (e *flagValueError) Error() string { return e.msg }

// flagError makes a flag parsing error a usage error, with flowctl's own
// message for values its flags refuse and pflag's for the rest.
func flagError(_ *cobra.Command, err error) error {
	var fe *flagValueError
	if errors.As(err, &fe) {
		err = fe
	}
	return &ExitError{Code: ExitUsage, Err: err}
}

// enumFlag describes a string flag that takes one of a few values.
type enumFlag struct {
	Name, Short string
	Default     string
	Values      []string
	// Or lists the values as "a, b or c" (else "a, b, c") in help and errors.
	Or bool
	// Usage is the help text; %s stands for the list of values.
	Usage string
}

// list is how help and errors name the values.
func (e enumFlag) list() string {
	if !e.Or || len(e.Values) < 2 {
		return strings.Join(e.Values, ", ")
	}
	n := len(e.Values)
	return strings.Join(e.Values[:n-1], ", ") + " or " + e.Values[n-1]
}

// enumValue is the pflag.Value of an enumFlag.
type enumValue struct {
	flag enumFlag
	p    *string
}

func (v *enumValue) String() string { return *v.p }
func (v *enumValue) Type() string   { return "string" }

func (v *enumValue) Set(s string) error {
	for _, ok := range v.flag.Values {
		if s == ok {
			*v.p = s
			return nil
		}
	}
	return &flagValueError{fmt.Sprintf("invalid --%s %q: want %s", v.flag.Name, s, v.flag.list())}
}

// addEnumFlag registers e into fs (c's local or persistent flags): a value
// outside e.Values is a usage error when flags are parsed, and shell
// completion offers the values.
func addEnumFlag(c *cobra.Command, fs *pflag.FlagSet, p *string, e enumFlag) {
	*p = e.Default
	fs.VarP(&enumValue{flag: e, p: p}, e.Name, e.Short, fmt.Sprintf(e.Usage, e.list()))
	_ = c.RegisterFlagCompletionFunc(e.Name, cobra.FixedCompletions(e.Values, cobra.ShellCompDirectiveNoFileComp))
}

// positiveDuration is the pflag.Value of a duration that must be > 0.
type positiveDuration struct {
	name string
	p    *time.Duration
}

func (v *positiveDuration) String() string { return v.p.String() }
func (v *positiveDuration) Type() string   { return "duration" }

func (v *positiveDuration) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err // pflag says: invalid argument "s" for "--name" flag: ...
	}
	if d <= 0 {
		return &flagValueError{fmt.Sprintf("invalid --%s %s: want a positive duration", v.name, d)}
	}
	*v.p = d
	return nil
}

// addTimeoutFlag registers --timeout, the per-request timeout for Genesys
// Cloud: a positive duration, def by default.
func addTimeoutFlag(fs *pflag.FlagSet, p *time.Duration, def time.Duration, usage string) {
	*p = def
	fs.Var(&positiveDuration{name: "timeout", p: p}, "timeout", usage)
}

// orgFlags are --org FILE and --client NAME|ID: an org file (a snapshot of
// a Genesys Cloud org) and, when it has several, its OAuth client.
type orgFlags struct {
	OrgFile string // --org
	Client  string // --client: the org file's OAuth client (name or id)
	// From is where the project config names OrgFile (FILE:LINE:COL), ""
	// when --org did.
	From string
}

// load reads the org file. One the project config names that cannot be
// read is reported at the config's line (exit 3).
func (o orgFlags) load() (*org.File, error) {
	f, err := org.Load(o.OrgFile)
	if err != nil && o.From != "" && !org.IsError(err) {
		return nil, failuref("%s: cannot read org file %s: %v; fix org: there, or give --org FILE", o.From, o.OrgFile, flow.PathErrorCause(err))
	}
	return f, err
}

// addOrgFlags registers --org (with orgUsage as its help) and --client into
// o, and makes c refuse --client without --org before it runs.
func addOrgFlags(c *cobra.Command, o *orgFlags, orgUsage string) {
	c.Flags().StringVar(&o.OrgFile, "org", "", orgUsage)
	c.Flags().StringVar(&o.Client, "client", "", "with --org: the OAuth client (name or id) when the org file has several")
	addFlagCheck(c, func() error {
		if o.Client != "" && o.OrgFile == "" {
			return usageErrorf("--client names a client of the org file: use it with --org")
		}
		return nil
	})
}

// orgError maps an error of loading --org with --client to an exit code:
// a client the org file lacks, or no --client when it has several, is a
// usage error; anything else an operational failure.
func orgError(err error) error {
	var ce *org.ClientChoiceError
	if errors.As(err, &ce) {
		return usageErrorf("--client: %v", err)
	}
	return failure(err)
}

// addFlagCheck runs check before c's RunE (after its positional arguments
// are checked), after the checks added earlier.
func addFlagCheck(c *cobra.Command, check func() error) {
	prev := c.PreRunE
	c.PreRunE = func(c *cobra.Command, args []string) error {
		if prev != nil {
			if err := prev(c, args); err != nil {
				return err
			}
		}
		return check()
	}
}
