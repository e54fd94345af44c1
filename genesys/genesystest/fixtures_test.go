package genesystest

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps what CheckShape reports.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestCheckShape(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want []string // the start of each error, in order
	}{
		{"a subset of the fixture", `{"organization":{"id":"o","name":"Acme"},"OAuthClient":{"roleDivisions":[]}}`, nil},
		{"the fixture itself", string(Fixture(t, "channel.json")), nil},
		{"an invented field", `{"selfUri":"/x"}`, []string{"field selfUri is not in the fixture"}},
		{"an invented nested field", `{"organization":{"id":"o","selfUri":"/x"}}`, []string{"field organization.selfUri is not in the fixture"}},
		{"a field of another type", `{"organization":{"id":7},"OAuthClient":{"roleDivisions":{}}}`, []string{`field "OAuthClient.roleDivisions" is object, but array`, `field "organization.id" is number, but string`}},
		{"a null", `{"OAuthClient":{"name":null}}`, []string{`field "OAuthClient.name" is null, but string`}},
		{"another document type", `[]`, []string{`field "" is array, but object`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fixture := "tokens-me.json"
			if strings.Contains(tt.name, "fixture itself") {
				fixture = "channel.json"
			}
			r := &recorder{TB: t}
			CheckShape(r, fixture, []byte(tt.got))
			if len(r.errs) != len(tt.want) {
				t.Fatalf("errors %q, want %d", r.errs, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(r.errs[i], w) {
					t.Errorf("error %q, want %q…", r.errs[i], w)
				}
			}
		})
	}
}
