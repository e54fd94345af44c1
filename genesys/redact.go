package genesys

import (
	"cmp"
	"encoding/base64"
	"errors"
	"net/url"
	"slices"
	"strings"
)

// minRedacted is the shortest secret hidden in texts: replacing a shorter
// one would garble messages more than it protects.
const minRedacted = 4

// redactor hides the client secret from error texts: as written, URL- and
// base64-encoded, and inside the Basic credentials of the sign-in.
type redactor []string

func newRedactor(id, secret string) redactor {
	if len(secret) < minRedacted {
		return nil
	}
	b := []byte(secret)
	forms := []string{
		secret,
		url.QueryEscape(secret),
		base64.StdEncoding.EncodeToString(b),
		base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b),
		base64.RawURLEncoding.EncodeToString(b),
		base64.StdEncoding.EncodeToString([]byte(id + ":" + secret)), // the Basic header's value
	}
	// Longest first, so a form is hidden whole before a part of it.
	slices.SortFunc(forms, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return slices.Compact(forms)
}

func (r redactor) text(s string) string {
	for _, f := range r {
		s = strings.ReplaceAll(s, f, "[redacted]")
	}
	return s
}

// error returns err with the secret hidden from its text. Errors of this
// package keep their type (their fields are cleaned); any other error
// holding the secret becomes plain text.
func (r redactor) error(err error) error {
	if err == nil || r.text(err.Error()) == err.Error() {
		return err
	}
	var (
		ae *APIError
		ce *ConnError
		me *MalformedError
	)
	switch {
	case errors.As(err, &ae) && ae == err:
		ae.Code, ae.Message, ae.CorrelationID = r.text(ae.Code), r.text(ae.Message), r.text(ae.CorrelationID)
	case errors.As(err, &ce) && ce == err:
		ce.URL, ce.Err = r.text(ce.URL), errors.New(r.text(ce.Err.Error()))
	case errors.As(err, &me) && me == err:
		me.CorrelationID, me.Err = r.text(me.CorrelationID), errors.New(r.text(me.Err.Error()))
	}
	if s := err.Error(); r.text(s) != s {
		return errors.New(r.text(s))
	}
	return err
}
