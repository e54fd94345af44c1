package cmd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCoverageGraphPaths checks that --graph gives every flow file a name
// of its own: the stem, then as many folders as tell equal stems apart,
// then a number as the last resort.
func TestCoverageGraphPaths(t *testing.T) {
	tests := []struct {
		name  string
		path  string
		files []string
		want  []string
	}{
		{name: "one flow keeps the path", path: "cov.md", files: []string{"/p/en/support.flow.yaml"}, want: []string{"cov.md"}},
		{name: "distinct stems", path: "out/cov.md", files: []string{"/p/acme.flow.yaml", "/p/billing.flow.yaml"},
			want: []string{"out/cov.acme.md", "out/cov.billing.md"}},
		{name: "same stem, one folder apart", path: "cov.md",
			files: []string{"/p/de/support.flow.yaml", "/p/en/billing.flow.yaml", "/p/en/support.flow.yaml"},
			want:  []string{"cov.de-support.md", "cov.billing.md", "cov.en-support.md"}},
		{name: "same stem, two folders apart", path: "cov.dot",
			files: []string{"/p/a/en/support.flow.yaml", "/p/b/en/support.flow.yaml", "/p/de/support.flow.yaml"},
			want:  []string{"cov.a-en-support.dot", "cov.b-en-support.dot", "cov.de-support.dot"}},
		{name: "no extension", path: "cov",
			files: []string{"/p/de/x.flow.yaml", "/p/en/x.flow.yml"},
			want:  []string{"cov.de-x", "cov.en-x"}},
		{name: "folders cannot tell them apart: numbered", path: "cov.md",
			files: []string{"/b/c.flow.yaml", "/b-c.flow.yaml", "/e/c.flow.yaml"},
			want:  []string{"cov.b-c.md", "cov.b-c-2.md", "cov.e-c.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, coverageGraphPaths(tt.path, tt.files)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
