package serve

import (
	"context"
	"errors"
	"strings"

	"github.com/flowctl/flowctl/genesys"
)

// Real Genesys Cloud: the bridge's setup from credentials, and the checks
// serve makes before the first chat.

// RealGenesys is what the bridge needs from a real Genesys Cloud org.
type RealGenesys struct {
	Config        genesys.Config // OAuth client and region
	IntegrationID string         // the Open Messaging integration
	WebhookSecret string         // its outbound webhook signature secret
}

func (s *Server) setupReal(rg *RealGenesys) error {
	switch {
	case strings.TrimSpace(rg.IntegrationID) == "":
		return errors.New("real Genesys needs the Open Messaging integration id")
	case rg.WebhookSecret == "":
		return errors.New("real Genesys needs the webhook signature secret")
	}
	gc, err := genesys.New(rg.Config)
	if err != nil {
		return err
	}
	s.gc = gc
	s.bridge = s.newBridge(gc, strings.TrimSpace(rg.IntegrationID), rg.WebhookSecret)
	return nil
}

// newBridge is the Open Messaging bridge with its lifecycle source
// started.
func (s *Server) newBridge(gc *genesys.Client, integrationID, secret string) *openMessaging {
	lc := newLifecycle(gc, s.opts.lifecycle, s.lifecycleUpdate, s.logf)
	return newOpenMessaging(gc, integrationID, secret, lc, s.logf, s.opts.timing.webhookRead, s.opts.maxWebhooks)
}

// CheckPermissions reads the OAuth client's grants (with the client's
// fallbacks) and returns the bridge's permissions it lacks
// (genesys.BridgePermissions); when the grants cannot be read, note says
// why and nothing is said missing.
func (s *Server) CheckPermissions(ctx context.Context) (missing []genesys.BridgeNeed, note string, err error) {
	f, err := s.gc.Grants(ctx)
	if err != nil {
		return nil, "", err
	}
	if !f.GrantsKnown {
		return nil, f.GrantsNote, nil
	}
	return genesys.MissingBridgePermissions(f), "", nil
}

// StartLifecycle starts the conversations' lifecycle source (Serve and
// the first handover do too) and says where the lifecycle comes from:
// notifications, or polling and why.
func (s *Server) StartLifecycle() string {
	s.bridge.start()
	return s.bridge.lifecycleSource()
}

// CheckGenesys authenticates against Genesys and returns the organisation
// and OAuth client names, to fail fast on bad credentials.
func (s *Server) CheckGenesys(ctx context.Context) (org, client string, err error) {
	ti, err := s.gc.TokenInfo(ctx)
	if err != nil {
		return "", "", err
	}
	client = "?"
	if ti.OAuthClient != nil {
		client = ti.OAuthClient.Name
	}
	return ti.Organization.Name, client, nil
}
