package cmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/flowctl/flowctl/genesys"
)

// configureGenesys, when set, adjusts the configuration of every client
// newGenesysClient builds. Only tests set it: their clients wait on a fake
// clock.
var configureGenesys func(f *Factory, cfg *genesys.Config)

// newGenesysClient builds a client from the GENESYSCLOUD_* variables;
// timeout 0 means the default per-request timeout. takesOrg says the
// command also works offline with --org FILE: missing credentials say so.
func newGenesysClient(f *Factory, timeout time.Duration, takesOrg bool) (*genesys.Client, error) {
	cfg, err := genesys.ConfigFromEnv(f.Getenv)
	if err != nil {
		return nil, credentialsFailure(err, takesOrg)
	}
	cfg.Timeout = timeout
	cfg.UserAgent = "flowctl/" + version()
	if configureGenesys != nil {
		configureGenesys(f, &cfg)
	}
	c, err := genesys.New(cfg)
	if err != nil {
		return nil, failure(err)
	}
	return c, nil
}

// credentialsFailure is the failure of GENESYSCLOUD_* variables that are
// missing; takesOrg adds that the command works offline with --org FILE.
func credentialsFailure(err error, takesOrg bool) error {
	var me *genesys.MissingEnvError
	if takesOrg && errors.As(err, &me) {
		return failuref("%v; set them, or work offline against an org file with --org FILE (flowctl org export writes one)", err)
	}
	return failure(err)
}

// genesysFailure turns a client error into an operational failure (exit 3)
// whose message names the HTTP status and Genesys code and says what to do.
func genesysFailure(err error) error {
	if err == nil {
		return nil
	}
	var (
		ae *genesys.APIError
		te *genesys.TimeoutError
		ce *genesys.ConnError
		me *genesys.MalformedError
	)
	var hint string
	switch {
	case errors.Is(err, context.Canceled):
		return failure(err) // Ctrl-C: Main reports it (interrupted)
	case errors.As(err, &ae):
		hint = apiErrorHint(ae)
	case errors.As(err, &te):
		hint = "Genesys Cloud did not answer in time; try again, or raise --timeout"
	case errors.As(err, &ce):
		hint = "cannot reach Genesys Cloud; check GENESYSCLOUD_REGION and the network"
	case errors.As(err, &me):
		hint = "Genesys Cloud sent a broken answer; try again, and report the correlation id if it persists"
	default:
		return failure(err)
	}
	return failuref("genesys: %v\n  %s", err, hint)
}

func apiErrorHint(e *genesys.APIError) string {
	switch {
	case e.Status/100 == 3:
		return "Genesys Cloud answered with a redirect, which flowctl never follows with the credentials: check GENESYSCLOUD_REGION (a region key like eu-central-1, or the org's domain)"
	case e.RateLimited && e.RetryAfter > genesys.DefaultMaxRetryAfter:
		return fmt.Sprintf("rate limited: Genesys asked to wait %s, longer than flowctl waits; try again later (the OAuth client's 300 requests/minute are shared by every tool using it)", waitText(e.RetryAfter))
	case e.RateLimited:
		return "still rate limited after retries; wait a minute and try again (the OAuth client's 300 requests/minute are shared by every tool using it)"
	case e.Path == "/oauth/token" && strings.Contains(e.Message, "disabled"):
		return "the OAuth client is disabled: enable it in Genesys Cloud (Admin > Integrations > OAuth) or use another client"
	case e.Path == "/oauth/token" && (e.Status == http.StatusUnauthorized || e.Status == http.StatusBadRequest):
		return "authentication failed: check GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET, and that GENESYSCLOUD_REGION is the org's region"
	case e.Status == http.StatusUnauthorized:
		return "Genesys rejected the access token even after signing in again: check the credentials and GENESYSCLOUD_REGION"
	case e.Status == http.StatusForbidden:
		return "the OAuth client lacks a permission this request needs: add it to a role granted to the client"
	case e.Status >= 500:
		return "Genesys Cloud failed after retries; try again later and check its status page"
	}
	return "Genesys Cloud refused the request"
}

// waitText says how long a wait is, in words when it is over a day (a
// Retry-After too long for a duration included).
func waitText(d time.Duration) string {
	if d > 24*time.Hour {
		return "more than a day"
	}
	return d.String()
}
