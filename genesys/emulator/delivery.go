package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/genesys"
)

// WebhookError reports a webhook delivery that failed or was refused.
type WebhookError struct {
	URL      string
	Status   int    // 0 when no answer came
	Body     string // the start of the answer
	Err      error
	Attempts int
}

func (e *WebhookError) Error() string {
	s := fmt.Sprintf("webhook %s: HTTP %d", e.URL, e.Status)
	if e.Err != nil {
		s = fmt.Sprintf("webhook %s: %v", e.URL, e.Err)
	} else if e.Body != "" {
		s += ": " + e.Body
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

func (e *WebhookError) Unwrap() error { return e.Err }

// agentMessage adds an agent message to a conversation under the lock,
// then delivers what build returns to the integration's webhook. Messages
// of one conversation are delivered one at a time, in order. When the
// delivery fails for good the message is taken back, so the desk and the
// bridge agree.
func (e *Server) agentMessage(ctx context.Context, id string, build func(*emuConversation) (*genesys.OpenOutboundMessage, error)) error {
	m := e.msg
	m.mu.Lock()
	conv := m.convs[id]
	m.mu.Unlock()
	if conv == nil {
		return fmt.Errorf("%w %q", ErrNoConversation, id)
	}
	conv.deliver.Lock()
	defer conv.deliver.Unlock()
	m.mu.Lock()
	out, err := build(conv)
	if err != nil {
		m.mu.Unlock()
		return err
	}
	added := conv.Messages[len(conv.Messages)-1]
	it := e.integration(conv.IntegrationID)
	url := m.webhooks[conv.IntegrationID]
	secret := ""
	if it != nil {
		secret = it.WebhookSecret
		if url == "" {
			url = it.WebhookURL
		}
	}
	m.mu.Unlock()
	e.notifyMessaging()
	if err := e.deliver(ctx, url, secret, out); err != nil {
		m.mu.Lock()
		if i := slices.IndexFunc(conv.Messages, func(x Message) bool { return x.Time.Equal(added.Time) && x.Text == added.Text && x.From == added.From }); i >= 0 {
			conv.bytes -= conv.Messages[i].size()
			conv.Messages = slices.Delete(conv.Messages, i, i+1)
		}
		m.mu.Unlock()
		e.notifyMessaging()
		return err
	}
	return nil
}

// deliver posts an outbound message to a webhook, signed with the
// integration's secret (unsigned when it has none, which a bridge
// rejects), as Genesys does: each attempt waits WebhookTimeout for the
// answer, and a timeout, 429 or 5xx is retried up to WebhookRetries times,
// WebhookRetryWait apart.
func (e *Server) deliver(ctx context.Context, url, secret string, out *genesys.OpenOutboundMessage) error {
	if url == "" {
		return &WebhookError{Err: errors.New("the integration has no webhook URL")}
	}
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		werr := e.post(ctx, url, secret, body)
		if werr == nil {
			return nil
		}
		werr.Attempts = attempt
		retry := werr.Status == http.StatusTooManyRequests || werr.Status >= 500 || (werr.Status == 0 && ctx.Err() == nil && werr.Err != nil)
		if !retry || attempt > e.opts.WebhookRetries {
			return werr
		}
		if err := e.opts.Sleep(ctx, e.opts.WebhookRetryWait); err != nil {
			return werr
		}
	}
}

func (e *Server) post(ctx context.Context, url, secret string, body []byte) *WebhookError {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return &WebhookError{URL: url, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "flowctl-genesys-emulator")
	if secret != "" {
		req.Header.Set(genesys.SignatureHeader, genesys.SignWebhook(secret, body))
	}
	resp, err := e.msg.http.Do(req)
	if err != nil {
		return &WebhookError{URL: url, Err: err}
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	if resp.StatusCode/100 != 2 {
		return &WebhookError{URL: url, Status: resp.StatusCode, Body: strings.TrimSpace(string(data))}
	}
	return nil
}
