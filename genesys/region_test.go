package genesys_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/genesys"
)

func TestResolveRegion(t *testing.T) {
	tests := []struct {
		name, in   string
		login, api string
		err        string
	}{
		{name: "aws key", in: "eu-central-1", login: "https://login.mypurecloud.de", api: "https://api.mypurecloud.de"},
		{name: "key case and underscores", in: "EU_Central_2", login: "https://login.euc2.pure.cloud", api: "https://api.euc2.pure.cloud"},
		{name: "domain", in: "mypurecloud.ie", login: "https://login.mypurecloud.ie", api: "https://api.mypurecloud.ie"},
		{name: "api host", in: "api.usw2.pure.cloud", login: "https://login.usw2.pure.cloud", api: "https://api.usw2.pure.cloud"},
		{name: "base url", in: "http://127.0.0.1:8080/", login: "http://127.0.0.1:8080", api: "http://127.0.0.1:8080"},
		{name: "unknown key", in: "mars-1", err: `unknown GENESYSCLOUD_REGION "mars-1": want one of ap-northeast-1,`},
		{name: "empty", in: " ", err: "GENESYSCLOUD_REGION is empty"},
		{name: "bad scheme", in: "ftp://x", err: "not a valid http(s) base URL"},
		{name: "query", in: "http://x/?a=b", err: "no user, query or fragment"},
		{name: "bad domain", in: "my pure.cloud", err: "not a valid domain"},
		{name: "http on localhost", in: "http://localhost:9000", login: "http://localhost:9000", api: "http://localhost:9000"},
		{name: "http on IPv6 loopback", in: "http://[::1]:8080", login: "http://[::1]:8080", api: "http://[::1]:8080"},
		{name: "http on 127.0.0.0/8", in: "http://127.0.0.2", login: "http://127.0.0.2", api: "http://127.0.0.2"},
		{name: "https anywhere", in: "https://api.example.com/", login: "https://api.example.com", api: "https://api.example.com"},
		{name: "http to a remote host", in: "http://api.mypurecloud.de", err: `GENESYSCLOUD_REGION "http://api.mypurecloud.de": plain http:// is allowed only for a loopback host (127.0.0.1, ::1, localhost), or the client secret would cross the network unencrypted; use https://`},
		{name: "http to a private address", in: "http://10.0.0.1:8080", err: "plain http:// is allowed only for a loopback host"},
		{name: "http to a name ending in localhost", in: "http://evil-localhost.example", err: "plain http:// is allowed only for a loopback host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, err := genesys.ResolveRegion(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ep.Login != tt.login || ep.API != tt.api {
				t.Errorf("got %+v, want %s %s", ep, tt.login, tt.api)
			}
		})
	}
	if _, err := genesys.ResolveRegion("nowhere"); err == nil || !strings.Contains(err.Error(), "eusc-de-east-1") {
		t.Errorf("unknown region error should list every key: %v", err)
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{genesys.EnvClientID: "id"}
	_, err := genesys.ConfigFromEnv(func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "incomplete: GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION are not set (flowctl needs GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION)") {
		t.Fatalf("err = %v", err)
	}
	_, err = genesys.ConfigFromEnv(func(string) string { return "" })
	if want := "Genesys Cloud credentials missing: GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION are not set"; err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
	env[genesys.EnvClientSecret], env[genesys.EnvRegion] = sentinelSecret, "us-east-1"
	cfg, err := genesys.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil || cfg.ClientSecret != sentinelSecret || cfg.Region != "us-east-1" {
		t.Fatalf("cfg %+v, err %v", cfg.Region, err)
	}
}

// TestSecretNeverPrinted: a secret in the region URL or in a Config or
// Client printed with any verb or logged never shows.
func TestSecretNeverPrinted(t *testing.T) {
	for _, region := range []string{
		"http://id:" + sentinelSecret + "@127.0.0.1:8080",
		"https://" + sentinelSecret + "@example.com/x?y",
		"ftp://id:" + sentinelSecret + "@host",
		"id:" + sentinelSecret + "@mypurecloud.de",
		"http://id:" + sentinelSecret + "@[::1",
	} {
		_, err := genesys.ResolveRegion(region)
		if err == nil {
			t.Fatalf("%s: accepted", region)
		}
		if strings.Contains(err.Error(), sentinelSecret) || strings.Contains(err.Error(), "id:") {
			t.Errorf("error shows the user info: %v", err)
		}
	}
	cfg := genesys.Config{Region: "http://id:" + sentinelSecret + "@127.0.0.1", ClientID: "id", ClientSecret: sentinelSecret}
	c, err := genesys.New(genesys.Config{Region: "eu-central-1", ClientID: "id", ClientSecret: sentinelSecret})
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "cfg", cfg, "client", c)
	for _, s := range []string{
		fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprint(&cfg),
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c),
		logged.String(),
	} {
		if strings.Contains(s, sentinelSecret) {
			t.Errorf("printed the secret: %s", s)
		}
	}
}
