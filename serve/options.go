package serve

import (
	"io"
	"time"

	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/org"
	"github.com/flowctl/flowctl/simulate"
)

// Limits of the bridge.
const (
	// MaxMessage is the longest user or agent message, in bytes.
	MaxMessage = 4000
	// DefaultMaxChats bounds the chats kept at once.
	DefaultMaxChats = 1000
	// DefaultMaxConns bounds the connections Serve keeps open at once.
	DefaultMaxConns = 1024
	// DefaultMaxPagesPerClient bounds the open pages of one remote address.
	DefaultMaxPagesPerClient = 32
	// maxFrame bounds a websocket frame from a page.
	maxFrame = 16 << 10
	// maxWebhookBody bounds a webhook request body.
	maxWebhookBody = 256 << 10
	// maxWebhooks bounds the webhook requests served at once.
	maxWebhooks = 32
	// genesysTimeout bounds one handover or message exchange with Genesys.
	genesysTimeout = 60 * time.Second
)

// Options configure a Server.
type Options struct {
	// FlowPath is the flow file served and watched.
	FlowPath string
	// Org seeds the emulator; nil means DefaultOrg of the flow's queues.
	// OrgPath is its file, referenced by saved tests ("" for none).
	Org     *org.File
	OrgPath string
	// Client is the org's OAuth client (name or id) the bridge uses; "" when
	// the org has one.
	Client string
	// Genesys, when set, is a real Genesys Cloud; nil means the emulator.
	Genesys *RealGenesys
	// TranscriptDir receives one CHAT.jsonl file per chat; "" keeps
	// transcripts in memory only.
	TranscriptDir string
	// TestDir is where "save as test" writes; "" means the flow's directory.
	TestDir string
	// AllowRemote serves beyond this machine: "save as test" and the list
	// of chats are off.
	AllowRemote bool
	// PublicHosts are host names, besides this machine's own names and
	// addresses, that pages may use to reach the server (against DNS
	// rebinding, any other Host is refused).
	PublicHosts []string
	// Log receives progress and errors (never secrets); nil discards them.
	Log io.Writer
	// MaxChats bounds the chats kept; 0 means DefaultMaxChats.
	MaxChats int
	// MaxConns bounds the connections Serve keeps open; 0 means
	// DefaultMaxConns.
	MaxConns int
	// MaxPagesPerClient bounds the open pages of one remote address; 0
	// means DefaultMaxPagesPerClient.
	MaxPagesPerClient int

	// clock runs the chats' inactivity timers; nil means the real clock
	// (tests watch it).
	clock simulate.Clock
	// timing holds the durations tests shorten; zero fields take the
	// defaults.
	timing timing
	// maxWebhooks bounds the webhook requests served at once; 0 means
	// maxWebhooks (tests lower it).
	maxWebhooks int
	// emulator tunes the built-in emulator (tests: notifications refused,
	// switches of UNCONFIRMED behaviour).
	emulator emulator.Options
	// lifecycle tunes the lifecycle source (tests: shorter polls).
	lifecycle lifecycleOptions
}

// timing is the bridge's waits.
type timing struct {
	drain       time.Duration // running operations get this long at Close
	webhookRead time.Duration // a webhook's body must arrive within it
	requestRead time.Duration // any other request's body likewise
	ping        time.Duration // pages are pinged this often
	pong        time.Duration // and must answer within it
}

func (t timing) withDefaults() timing {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.drain, 5*time.Second)
	def(&t.webhookRead, 10*time.Second)
	def(&t.requestRead, 10*time.Second)
	def(&t.ping, 30*time.Second)
	def(&t.pong, 15*time.Second)
	return t
}
