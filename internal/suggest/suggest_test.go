package suggest

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"Billing Support", "Billing Support", 3, 0},
		{"Billng Support", "Billing Support", 3, 1},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 2, 3}, // over the limit: limit+1
		{"a", "abcdef", 2, 3},       // length alone exceeds the limit
		{"größe", "grösse", 3, 2},   // runes, not bytes
		{"bey", "bye", 1, 1},        // a swap of neighbours is one edit
		{"tpye", "type", 2, 1},
		{"ab", "ba", 1, 1},
		{"abc", "ca", 3, 3}, // optimal string alignment: no edit of a swapped pair
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	fields := []string{"id", "type", "text", "input", "quickReplies", "onError", "next", "outputs", "a"}
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{name: "quickreplies", candidates: fields, want: "quickReplies"}, // case only
		{name: "onerror", candidates: fields, want: "onError"},
		{name: "tpye", candidates: fields, want: "type"}, // a transposition is 2 edits
		{name: "nxet", candidates: fields, want: "next"},
		{name: "outptus", candidates: fields, want: "outputs"},
		{name: "cc", candidates: fields, want: ""},           // "a" would change everything
		{name: "b", candidates: []string{"a"}, want: ""},     // one rune: case only
		{name: "B", candidates: []string{"b"}, want: "b"},    // case differs
		{name: "xyz", candidates: []string{"abc"}, want: ""}, // too far
		{name: "mian", candidates: []string{"main"}, want: "main"},
		{name: "gret", candidates: []string{"bye", "greet"}, want: "greet"},
		{name: "colour", candidates: fields, want: ""},
		{name: "type", candidates: []string{"type"}, want: ""}, // never itself
		{name: "SetExternalSessionAttribute", candidates: []string{"SetAuthor", "SetExternalSessionAttributes"}, want: "SetExternalSessionAttributes"},
		{name: "tex", candidates: []string{"text", "next"}, want: "text"}, // ties: the first
	}
	for _, tt := range tests {
		if got := Closest(tt.name, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
