package simulate

import (
	"strings"
	"testing"
)

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
