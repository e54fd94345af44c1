package report

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSARIFURIs: artifact URIs are percent-encoded URI references.
func TestSARIFURIs(t *testing.T) {
	for path, want := range map[string]string{
		"flows/a.flow.yaml":         "flows/a.flow.yaml",
		"my flows/a b.flow.yaml":    "my%20flows/a%20b.flow.yaml",
		"Größe/100%.flow.yaml":      "Gr%C3%B6%C3%9Fe/100%25.flow.yaml",
		"/srv/my flows/x.flow.yaml": "file:///srv/my%20flows/x.flow.yaml",
		"weird:name/x.flow.yaml":    "./weird:name/x.flow.yaml",
		"flows/a#b?c.flow.yaml":     "flows/a%23b%3Fc.flow.yaml",
	} {
		if filepath.Separator != '/' && strings.HasPrefix(path, "/") {
			continue
		}
		if got := sarifURI(path); got != want {
			t.Errorf("sarifURI(%q) = %q, want %q", path, got, want)
		}
	}
}
