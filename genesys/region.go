package genesys

import (
	"fmt"
	"maps"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// regionDomains maps AWS region keys (as the Terraform provider and the gc
// CLI spell them) to Genesys Cloud domains.
var regionDomains = map[string]string{
	"us-east-1":      "mypurecloud.com",
	"us-east-2":      "use2.us-gov-pure.cloud",
	"us-west-2":      "usw2.pure.cloud",
	"ca-central-1":   "cac1.pure.cloud",
	"sa-east-1":      "sae1.pure.cloud",
	"mx-central-1":   "mxc1.pure.cloud",
	"eu-west-1":      "mypurecloud.ie",
	"eu-west-2":      "euw2.pure.cloud",
	"eu-central-1":   "mypurecloud.de",
	"eu-central-2":   "euc2.pure.cloud",
	"me-central-1":   "mec1.pure.cloud",
	"ap-south-1":     "aps1.pure.cloud",
	"ap-northeast-1": "mypurecloud.jp",
	"ap-northeast-2": "apne2.pure.cloud",
	"ap-northeast-3": "apne3.pure.cloud",
	"ap-southeast-1": "apse1.pure.cloud",
	"ap-southeast-2": "mypurecloud.com.au",
	"eusc-de-east-1": "edee1.eusc-pure.cloud",
}

// RegionKeys lists the AWS region keys GENESYSCLOUD_REGION accepts, sorted.
func RegionKeys() []string {
	return slices.Sorted(maps.Keys(regionDomains))
}

// Endpoints are the base URLs of one Genesys Cloud region: the OAuth host and
// the platform API host (no trailing slash).
type Endpoints struct {
	Login string // e.g. https://login.mypurecloud.de
	API   string // e.g. https://api.mypurecloud.de
}

// ResolveRegion turns a GENESYSCLOUD_REGION value into endpoints. It accepts
// an AWS region key (case-insensitive, "_" accepted for "-" as the gc CLI
// spells some), a domain such as "mypurecloud.de" (also "api.mypurecloud.de"
// or "login.mypurecloud.de"), or a base URL such as "http://127.0.0.1:8080",
// which serves both OAuth and the API (the emulator). Plain http:// is
// accepted only for a loopback host: the client secret must not cross a
// network unencrypted.
func ResolveRegion(region string) (Endpoints, error) {
	r := strings.TrimSpace(region)
	if r == "" {
		return Endpoints{}, fmt.Errorf("%s is empty: set an AWS region key (%s), a domain like mypurecloud.de or a base URL", EnvRegion, strings.Join(RegionKeys(), ", "))
	}
	shown := showRegion(r)
	if strings.Contains(r, "://") {
		u, err := url.Parse(r)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Endpoints{}, fmt.Errorf("%s %s is not a valid http(s) base URL", EnvRegion, shown)
		}
		if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return Endpoints{}, fmt.Errorf("%s %s: a base URL must have no user, query or fragment", EnvRegion, shown)
		}
		if u.Scheme == "http" && !isLoopback(u.Hostname()) {
			return Endpoints{}, fmt.Errorf("%s %s: plain http:// is allowed only for a loopback host (127.0.0.1, ::1, localhost), or the client secret would cross the network unencrypted; use https://", EnvRegion, shown)
		}
		base := strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/")
		return Endpoints{Login: base, API: base}, nil
	}
	key := strings.ReplaceAll(strings.ToLower(r), "_", "-")
	if d, ok := regionDomains[key]; ok {
		return domainEndpoints(d), nil
	}
	if strings.Contains(r, ".") || strings.EqualFold(r, "localhost") {
		d := strings.ToLower(strings.TrimSuffix(r, "/"))
		if strings.ContainsAny(d, "/?#@ ") {
			return Endpoints{}, fmt.Errorf("%s %s is not a valid domain", EnvRegion, shown)
		}
		d = strings.TrimPrefix(strings.TrimPrefix(d, "api."), "login.")
		return domainEndpoints(d), nil
	}
	return Endpoints{}, fmt.Errorf("unknown %s %s: want one of %s, a domain like mypurecloud.de, or a base URL like http://127.0.0.1:8080", EnvRegion, shown, strings.Join(RegionKeys(), ", "))
}

// isLoopback reports whether host (no port) is localhost or a loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// maxShownKey is the longest value without a dot or a scheme that is echoed
// as a region: longer ones (a secret put in GENESYSCLOUD_REGION when the
// variables were swapped) are not shown. Region keys have at most 14
// characters.
const maxShownKey = 24

// looksSecret reports whether a GENESYSCLOUD_REGION value is too long for a
// region key and has neither a dot nor a scheme.
func looksSecret(r string) bool {
	return !strings.Contains(r, ".") && !strings.Contains(r, "://") && utf8.RuneCountInString(r) > maxShownKey
}

// showRegion is how a GENESYSCLOUD_REGION value appears in a message: quoted
// with any user info hidden, or not at all when it looks like a secret.
func showRegion(r string) string {
	if looksSecret(r) {
		return fmt.Sprintf("(a %d-character value, not shown: it looks like a secret)", utf8.RuneCountInString(r))
	}
	return strconv.Quote(redactUserinfo(r))
}

// safeRegion is a GENESYSCLOUD_REGION value for logs and %v: without user
// info, and hidden when it looks like a secret.
func safeRegion(r string) string {
	if looksSecret(r) {
		return "[not shown]"
	}
	return redactUserinfo(r)
}

// redactUserinfo hides the user and password of a URL-like value (with or
// without a scheme, parseable or not), so that a secret put in
// GENESYSCLOUD_REGION never reaches an error message.
func redactUserinfo(s string) string {
	rest, scheme := s, ""
	if i := strings.Index(s, "://"); i >= 0 {
		scheme, rest = s[:i+3], s[i+3:]
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return s
	}
	return scheme + "xxxxx" + rest[at:]
}

func domainEndpoints(domain string) Endpoints {
	return Endpoints{Login: "https://login." + domain, API: "https://api." + domain}
}
