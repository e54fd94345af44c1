package genesys

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Environment variables holding credentials (the names of Genesys's own CLI
// and Terraform provider).
const (
	EnvClientID     = "GENESYSCLOUD_OAUTHCLIENT_ID"
	EnvClientSecret = "GENESYSCLOUD_OAUTHCLIENT_SECRET"
	EnvRegion       = "GENESYSCLOUD_REGION"
)

// Defaults for Config's zero values.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxRetries    = 3
	DefaultMaxRetryAfter = 60 * time.Second
	// DefaultRateLimit stays under Genesys's 300 requests per minute per
	// client-credentials token.
	DefaultRateLimit = 280
)

// Config configures a Client. The zero value of every optional field means
// its default.
type Config struct {
	Region       string // GENESYSCLOUD_REGION: AWS key, domain or base URL
	ClientID     string
	ClientSecret string // never printed, logged or part of an error

	// HTTPClient sends the requests (default: a new http.Client). It never
	// follows a redirect: a 3xx answer fails the request.
	HTTPClient *http.Client
	Timeout    time.Duration // per request attempt; default DefaultTimeout
	// MaxRetries bounds retries of one request on 429 and 5xx; default
	// DefaultMaxRetries, negative for none.
	MaxRetries int
	// MaxRetryAfter is the longest Retry-After honoured; a 429 asking for
	// longer fails at once. Default DefaultMaxRetryAfter.
	MaxRetryAfter time.Duration
	// RateLimit is the most requests sent in any minute; default
	// DefaultRateLimit.
	RateLimit int
	// Now and Sleep replace the clock (tests). Sleep returns ctx.Err() when
	// ctx ends first.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// UserAgent is sent with every request.
	UserAgent string
}

// String describes the configuration without its secret, so that printing
// a Config (%v, %+v) never shows it.
func (c Config) String() string {
	return fmt.Sprintf("genesys.Config{Region: %q, ClientID: %q, ClientSecret: %s}", safeRegion(c.Region), c.ClientID, redacted(c.ClientSecret))
}

// GoString is String for %#v.
func (c Config) GoString() string { return c.String() }

// LogValue is what log/slog records for a Config: no secret.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("region", safeRegion(c.Region)),
		slog.String("clientId", c.ClientID),
		slog.String("clientSecret", redacted(c.ClientSecret)),
	)
}

func redacted(secret string) string {
	if secret == "" {
		return `""`
	}
	return "[redacted]"
}

// MissingEnvError names the credential variables that are not set.
type MissingEnvError struct{ Names []string }

func (e *MissingEnvError) Error() string {
	all := []string{EnvClientID, EnvClientSecret, EnvRegion}
	if len(e.Names) >= len(all) {
		return fmt.Sprintf("Genesys Cloud credentials missing: %s are not set", andList(e.Names))
	}
	verb := "is"
	if len(e.Names) > 1 {
		verb = "are"
	}
	return fmt.Sprintf("Genesys Cloud credentials incomplete: %s %s not set (flowctl needs %s)", andList(e.Names), verb, andList(all))
}

// andList joins names as a sentence does: "A", "A and B", "A, B and C".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// HasCredentials reports whether the environment names an OAuth client
// (client id or secret set); ConfigFromEnv then says what else is missing.
func HasCredentials(getenv func(string) string) bool {
	return getenv(EnvClientID) != "" || getenv(EnvClientSecret) != ""
}

// ConfigFromEnv reads the three credential variables. A missing one is a
// *MissingEnvError.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{
		ClientID:     strings.TrimSpace(getenv(EnvClientID)),
		ClientSecret: getenv(EnvClientSecret),
		Region:       strings.TrimSpace(getenv(EnvRegion)),
	}
	var missing []string
	if cfg.ClientID == "" {
		missing = append(missing, EnvClientID)
	}
	if cfg.ClientSecret == "" {
		missing = append(missing, EnvClientSecret)
	}
	if cfg.Region == "" {
		missing = append(missing, EnvRegion)
	}
	if len(missing) > 0 {
		return Config{}, &MissingEnvError{Names: missing}
	}
	return cfg, nil
}

// Client is a Genesys Cloud platform API client authenticated with OAuth
// client credentials. It is safe for concurrent use.
type Client struct {
	cfg       Config
	endpoints Endpoints
	http      *http.Client
	limiter   *limiter
	secrets   redactor

	mu          sync.Mutex
	token       string
	tokenExpiry time.Time

	requests int64 // HTTP requests sent (guarded by mu)
}

// String describes the client by its API host and client id, never its
// secret.
func (c *Client) String() string {
	return fmt.Sprintf("genesys.Client{API: %q, ClientID: %q}", c.endpoints.API, c.cfg.ClientID)
}

// GoString is String for %#v.
func (c *Client) GoString() string { return c.String() }

// LogValue is what log/slog records for a Client: no secret.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("api", c.endpoints.API), slog.String("clientId", c.cfg.ClientID))
}

// New returns a client for cfg. It resolves the region but sends nothing.
func New(cfg Config) (*Client, error) {
	secrets := newRedactor(cfg.ClientID, cfg.ClientSecret)
	ep, err := ResolveRegion(cfg.Region)
	if err != nil {
		if _, swapped := ResolveRegion(cfg.ClientSecret); swapped == nil {
			// The secret's variable holds a region, so GENESYSCLOUD_REGION
			// likely holds the secret: showRegion hides a value that looks
			// like one.
			return nil, fmt.Errorf("%w\n  %s holds a region: were %s and %s swapped?", err, EnvClientSecret, EnvRegion, EnvClientSecret)
		}
		return nil, secrets.error(err)
	}
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("genesys: client id and secret are required")
	}
	// Never follow a redirect: it would send the Basic or Bearer
	// credentials to wherever it points.
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	} else if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = DefaultRateLimit
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = SleepContext
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "flowctl"
	}
	return &Client{
		cfg:       cfg,
		endpoints: ep,
		http:      hc,
		secrets:   secrets,
		limiter:   newLimiter(cfg.RateLimit, time.Minute, cfg.Now, cfg.Sleep),
	}, nil
}

// Requests returns the number of HTTP requests the client has sent,
// retries and token requests included.
func (c *Client) Requests() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requests
}

func (c *Client) countRequest() {
	c.mu.Lock()
	c.requests++
	c.mu.Unlock()
}

// SleepContext waits d, or returns ctx.Err() when ctx ends first: the
// default Config.Sleep.
func SleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
