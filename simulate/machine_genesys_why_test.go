package simulate

import (
	"testing"

	"github.com/flowctl/flowctl/flow"
)

// TestResolutionWhy: a failed resolution names the OAuth client as the
// resolver knows it, or "the OAuth client".
func TestResolutionWhy(t *testing.T) {
	perm := Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueReachable}, MissingPermissions: []string{"routing:queue:view"}}
	if got, want := perm.Why("Q"), "the OAuth client lacks routing:queue:view"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	perm.Client = `OAuth client "Bot"`
	if got, want := perm.Why("Q"), `OAuth client "Bot" lacks routing:queue:view`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	div := Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueDivisionNotPermitted, Division: "Home"}, Client: `OAuth client "Bot"`}
	if got, want := div.Why("Q"), `queue "Q" is in division "Home", where OAuth client "Bot" has no role granting routing:queue:view; grant the handover role in division "Home" or move the queue`; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if (Resolution{Verdict: flow.QueueVerdict{Status: flow.QueueReachable}}).Why("Q") != "" {
		t.Error("a reachable queue has no why")
	}
}
