package report

import "testing"

func TestGitHubEscaping(t *testing.T) {
	if got := escapeGitHubProperty("a,b:c%\n"); got != "a%2Cb%3Ac%25%0A" {
		t.Errorf("property: %q", got)
	}
	if got := escapeGitHubData("50% done\r\nnext"); got != "50%25 done%0D%0Anext" {
		t.Errorf("data: %q", got)
	}
}
