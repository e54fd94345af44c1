package cmd

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/internal/words"
	"github.com/flowctl/flowctl/schemas"
	"github.com/flowctl/flowctl/serve"
	"github.com/spf13/cobra"
)

// Environment variables of serve with real Genesys Cloud.
const (
	envIntegrationID = "FLOWCTL_OPEN_MESSAGING_INTEGRATION_ID"
	envWebhookSecret = "FLOWCTL_WEBHOOK_SECRET"
)

// serveOptions are serve's argument and flags.
type serveOptions struct {
	orgFlags             // --org: seed the emulator from this org file; --client
	Flow        string   // the flow file
	Addr        string   // --addr HOST:PORT
	AllowRemote bool     // --allow-remote: a non-loopback --addr is meant
	PublicHosts []string // --public-host NAME: more host names pages are served to
	Transcripts string   // --transcripts DIR: where each chat's JSONL goes
	// Emulator holds the --emulator-option NAME=VALUE switches, checked as
	// they are parsed.
	Emulator emulatorSwitches
}

// newServeCmd is flowctl serve FLOW.
func newServeCmd(f *Factory) *cobra.Command {
	opts := &serveOptions{}
	c := &cobra.Command{
		Use:   "serve FLOW",
		Short: "Run a flow as a local web chat that hands over to Genesys (or its emulator)",
		Long: `Serve a web chat that runs the flow live (real clock: the inactivity timeout
really fires) and hands chats over to Genesys Cloud queues through Open
Messaging, with a transcript view.

Without GENESYSCLOUD_* credentials, or with --org (or an org in the
project config, flowctl.yaml), handovers go to a built-in Genesys emulator,
seeded from that org file or a default org holding every queue the flow
names (all permitted); its agent desk (/desk) lists waiting and active chats
per queue, with their attributes, and lets you join, reply, transfer and
close.

With GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and
GENESYSCLOUD_REGION, handovers go to that org. Then also set
` + envIntegrationID + ` (the Open Messaging integration) and
` + envWebhookSecret + ` (its outbound webhook signature secret), and make
POST /webhook reachable from Genesys (the integration's outbound webhook URL,
e.g. through a tunnel on port 443). Webhooks without a valid
X-Hub-Signature-256 get 401. Before the first chat serve names each
permission of its bridge the OAuth client lacks, with the call that needs
it. Agents joining, transferring and ending come from the Notification API,
or by polling the conversation where notifications are refused; the startup
lines, the log and /healthz say which.

With the emulator, --emulator-option NAME=VALUE (repeatable) gives it another
of the Genesys behaviours flowctl could not confirm (the README's live-mode
table says what each models). The switches:
` + switchNames() + `.

The flow file is watched: saving reloads it, and validation errors show on
the page. --transcripts DIR writes each chat as DIR/CHAT.jsonl; "Save as
test" writes the chat as a *.test.yaml next to the flow.

The server listens on loopback (127.0.0.1:8080). Another address needs
--allow-remote: anyone who reaches it can chat and act as the agent on the
desk (see, answer, transfer and close every queued chat); "Save as test"
is then off, since it writes files on the server. Pages are served only to
the host names of this machine (loopback, its name, the addresses it
listens on) and those given with --public-host, against DNS rebinding.
Ctrl-C stops it gracefully and flushes the transcripts.

Exit status: 0 stopped by Ctrl-C, 2 usage error, 3 unreadable flow or org
file, Genesys or listening failure.`,
		Example: `  flowctl serve acme.flow.yaml
  flowctl serve --org acme.org.yaml --transcripts transcripts acme.flow.yaml
  flowctl serve --addr 127.0.0.1:9000 acme.flow.yaml
  flowctl serve --emulator-option Notifications=refused --emulator-option WebhookConversationID=true acme.flow.yaml`,
		Args: oneFlowFile,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Flow = args[0]
			if err := checkServeAddr(opts.Addr, opts.AllowRemote); err != nil {
				return err
			}
			for _, h := range opts.PublicHosts {
				if err := checkPublicHost(h); err != nil {
					return err
				}
			}
			if c.Flags().Changed("transcripts") && strings.TrimSpace(opts.Transcripts) == "" {
				return usageErrorf("--transcripts needs a directory")
			}
			if len(opts.Emulator.set) > 0 && opts.OrgFile == "" && genesys.HasCredentials(f.Getenv) {
				return usageErrorf("--emulator-option sets a switch of the built-in emulator, which serve does not use with the GENESYSCLOUD_* credentials: give --org FILE to serve with the emulator, or drop --emulator-option")
			}
			return runServe(f, opts)
		},
	}
	fl := c.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "listen on HOST:PORT (loopback unless --allow-remote)")
	fl.BoolVar(&opts.AllowRemote, "allow-remote", false, "allow a non-loopback --addr (anyone who reaches it can chat and act as the agent on the desk)")
	fl.StringArrayVar(&opts.PublicHosts, "public-host", nil, "also serve pages to this host name (e.g. a reverse proxy's); repeatable")
	addOrgFlags(c, &opts.orgFlags, "seed the Genesys emulator from this org file (no network, even with credentials)")
	fl.StringVar(&opts.Transcripts, "transcripts", "", "write each chat's transcript as DIR/CHAT.jsonl")
	fl.Var(&opts.Emulator, "emulator-option", "set a switch of the built-in emulator, e.g. Notifications=refused (repeatable; see the list above)")
	_ = c.RegisterFlagCompletionFunc("emulator-option", completeEmulatorSwitch)
	useConfig(c, f, func(pc *projectConfig, flagSet func(string) bool) bool {
		pc.applyOrg(&opts.orgFlags, flagSet)
		return false
	})
	return c
}

// checkServeAddr accepts HOST:PORT; a host that is not loopback (an empty
// host means every interface) needs allowRemote.
func checkServeAddr(addr string, allowRemote bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErrorf("invalid --addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return usageErrorf("invalid --addr %q: the port must be a number from 0 to 65535", addr)
	}
	if !serve.IsLoopbackHost(host) && !allowRemote {
		return usageErrorf("--addr %s is not a loopback address: the chat, the agent desk and the Genesys bridge would be reachable from the network; add --allow-remote if you mean it", addr)
	}
	return nil
}

// checkPublicHost accepts a host name or IP address, without scheme, port
// or path.
func checkPublicHost(h string) error {
	name := strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if net.ParseIP(name) != nil {
		return nil
	}
	if name == "" || strings.ContainsAny(name, ":/@?#[] \t") || strings.HasPrefix(name, ".") || strings.Contains(name, "..") {
		return usageErrorf("invalid --public-host %q: want a host name such as chat.example.org (no scheme, port or path)", h)
	}
	return nil
}

func runServe(f *Factory, opts *serveOptions) error {
	// A flow with errors is served until it is fixed; a test, org or
	// config file never becomes a flow.
	if src, err := schemas.ReadFile(opts.Flow); err == nil {
		if err := notAFlow(opts.Flow, src); err != nil {
			return err
		}
	}
	so := serve.Options{FlowPath: opts.Flow, TranscriptDir: opts.Transcripts, AllowRemote: opts.AllowRemote, PublicHosts: opts.PublicHosts, Log: f.IO.ErrOut, Emulator: opts.Emulator.opts}
	online := opts.OrgFile == "" && genesys.HasCredentials(f.Getenv)
	switch {
	case opts.OrgFile != "":
		o, err := opts.orgFlags.load()
		if err != nil {
			return failure(err)
		}
		so.Org, so.OrgPath, so.Client = o, opts.OrgFile, opts.Client
		if genesys.HasCredentials(f.Getenv) {
			fmt.Fprintf(f.IO.ErrOut, "note: --org given: using the built-in emulator, not the Genesys Cloud credentials\n")
		}
	case online:
		cfg, err := genesys.ConfigFromEnv(f.Getenv)
		if err != nil {
			return credentialsFailure(err, true)
		}
		cfg.UserAgent = "flowctl/" + version()
		rg := &serve.RealGenesys{Config: cfg, IntegrationID: strings.TrimSpace(f.Getenv(envIntegrationID)), WebhookSecret: f.Getenv(envWebhookSecret)}
		var missing []string
		if rg.IntegrationID == "" {
			missing = append(missing, envIntegrationID)
		}
		if rg.WebhookSecret == "" {
			missing = append(missing, envWebhookSecret)
		}
		if len(missing) > 0 {
			return failuref("serve with Genesys Cloud credentials needs %s (the Open Messaging integration id and its outbound webhook signature secret); unset the GENESYSCLOUD_* variables to use the built-in emulator", strings.Join(missing, " and "))
		}
		so.Genesys = rg
	}

	s, err := serve.New(so)
	if err != nil {
		return orgError(err)
	}
	defer s.Close()
	org, client := "", ""
	if online {
		if org, client, err = s.CheckGenesys(f.Context); err != nil {
			return genesysFailure(err)
		}
		printBridgePermissions(f, s)
	}
	lifecycle := s.StartLifecycle()
	printFlowErrors(f, opts.Flow)

	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return failuref("cannot listen on %s: %v", opts.Addr, err)
	}
	url := serve.LocalURL(ln.Addr())
	out := f.IO.Out
	fmt.Fprintf(out, "flowctl serve: %s\n", opts.Flow)
	fmt.Fprintf(out, "  web chat:    %s/\n", url)
	switch {
	case online:
		fmt.Fprintf(out, "  Genesys:     organization %q, OAuth client %q, Open Messaging integration %s\n", org, client, so.Genesys.IntegrationID)
		fmt.Fprintf(out, "  webhook:     POST %s/webhook (make it reachable from Genesys as the integration's outbound webhook URL)\n", url)
	case opts.OrgFile != "":
		fmt.Fprintf(out, "  agent desk:  %s/desk (built-in Genesys emulator, org %s)\n", url, opts.OrgFile)
	default:
		fmt.Fprintf(out, "  agent desk:  %s/desk (built-in Genesys emulator, default org)\n", url)
	}
	if len(opts.Emulator.set) > 0 {
		fmt.Fprintf(out, "  emulator:    %s\n", strings.Join(opts.Emulator.set, ", "))
	}
	fmt.Fprintf(out, "  lifecycle:   %s\n", lifecycle)
	fmt.Fprintf(out, "  transcripts: %s/transcript", url)
	if opts.Transcripts != "" {
		fmt.Fprintf(out, " (and %s)", opts.Transcripts)
	}
	fmt.Fprintln(out)
	if !serve.IsLoopbackHost(hostOf(opts.Addr)) {
		listening := ln.Addr().String()
		if ta, ok := ln.Addr().(*net.TCPAddr); ok {
			listening = net.JoinHostPort(hostOf(opts.Addr), strconv.Itoa(ta.Port))
		}
		who := "chat and read transcripts by chat id"
		if s.Emulated() {
			who = "chat, read transcripts by chat id and act as the agent on the desk (see and answer every queued chat)"
		}
		fmt.Fprintf(f.IO.ErrOut, "warning: listening on %s, beyond this machine: anyone who reaches it can %s; save as test is off\n", listening, who)
	}
	fmt.Fprintln(f.IO.ErrOut, "Press Ctrl-C to stop.")
	if err := s.Serve(f.Context, ln); err != nil {
		return failuref("serve: %v", err)
	}
	if opts.Transcripts != "" {
		fmt.Fprintf(f.IO.ErrOut, "stopped; transcripts flushed to %s\n", opts.Transcripts)
	} else {
		fmt.Fprintln(f.IO.ErrOut, "stopped")
	}
	return nil
}

// printBridgePermissions names, before the first chat, each permission of
// the bridge's own that the OAuth client lacks and the call that needs it;
// serve still starts.
func printBridgePermissions(f *Factory, s *serve.Server) {
	missing, note, err := s.CheckPermissions(f.Context)
	switch {
	case err != nil:
		fmt.Fprintf(f.IO.ErrOut, "note: the bridge's permissions were not checked: %v\n", err)
	case note != "":
		fmt.Fprintf(f.IO.ErrOut, "note: the bridge's permissions were not checked: %s\n", note)
	}
	for _, n := range missing {
		fmt.Fprintf(f.IO.ErrOut, "warning: the OAuth client lacks %s: %s needs it (%s)\n", strings.Join(n.AnyOf, " or "), n.Call, n.Why)
	}
}

func hostOf(addr string) string {
	h, _, _ := net.SplitHostPort(addr)
	return h
}

// printFlowErrors reports the flow's errors on stderr; serve still starts
// and shows them on the page until the file is fixed.
func printFlowErrors(f *Factory, path string) {
	_, errs, err := loadFlow(path)
	if err != nil || len(errs) == 0 {
		return
	}
	printFindings(f, errs)
	fmt.Fprintf(f.IO.ErrOut, "%s has %s: the page shows them and the chat starts once the file is fixed\n", path, words.Plural(len(errs), "error"))
}

// emulatorSwitches is the value of --emulator-option NAME=VALUE: each sets
// a switch of the emulator's Options (names and values checked as the
// flag is parsed: a bad one is a usage error before any work).
type emulatorSwitches struct {
	opts emulator.Options
	set  []string // as given, in order
}

func (v *emulatorSwitches) String() string { return strings.Join(v.set, ",") }
func (v *emulatorSwitches) Type() string   { return "NAME=VALUE" }

func (v *emulatorSwitches) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return &flagValueError{fmt.Sprintf("invalid --emulator-option %q: want NAME=VALUE, e.g. Notifications=refused", s)}
	}
	if err := v.opts.Set(name, value); err != nil {
		return &flagValueError{fmt.Sprintf("invalid --emulator-option %q: %v", s, err)}
	}
	for _, sw := range emulator.Switches() {
		if strings.EqualFold(sw.Name, name) {
			name = sw.Name // as the README and the help spell it
		}
	}
	v.set = append(v.set, name+"="+value)
	return nil
}

// switchNames lists the emulator's switches for the help, in lines of at
// most 78 columns.
func switchNames() string {
	var b strings.Builder
	line := 0
	for i, s := range emulator.Switches() {
		w := s.Name
		if i > 0 {
			b.WriteString(",")
			line++
			if line+1+len(w) > 78 {
				b.WriteString("\n")
				line = 0
			} else {
				b.WriteString(" ")
				line++
			}
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}

// completeEmulatorSwitch completes NAME= (with what the switch takes) and,
// after the =, the values of a switch that has a few.
func completeEmulatorSwitch(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	name, _, named := strings.Cut(toComplete, "=")
	for _, s := range emulator.Switches() {
		switch {
		case !named:
			if strings.HasPrefix(strings.ToLower(s.Name), strings.ToLower(toComplete)) {
				out = append(out, s.Name+"=\t"+s.Takes+" (default "+s.Default+")")
			}
		case strings.EqualFold(s.Name, name):
			for _, v := range s.Values {
				out = append(out, name+"="+v)
			}
		}
	}
	if !named {
		return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
