package simulate

import (
	"strings"
	"testing"
)

func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "0 fields"}, {1, "1 field"}, {2, "2 fields"}} {
		if got := Plural(tt.n, "field"); got != tt.want {
			t.Errorf("Plural(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	if got := Plural(uint64(1), "path"); got != "1 path" {
		t.Errorf("uint64: %q", got)
	}
}

// TestCommandSummaryPlural checks the one-line summaries of object and
// list command values: "{1 field}", "[2 items]".
func TestCommandSummaryPlural(t *testing.T) {
	p := load(t, `version: 1
name: c
flows:
  main:
    start: a
    blocks:
      - id: a
        type: end
        commands:
          Carousel: { cards: [] }
          EmbedWebsite: { url: "https://x.example", height: 3 }
`)
	r := start(t, p, Options{})
	var got []string
	for _, e := range r.events {
		if e.Kind == EventCommand {
			got = append(got, e.Line())
		}
	}
	want := "command Carousel {1 field}\ncommand EmbedWebsite {2 fields}"
	if strings.Join(got, "\n") != want {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}
