package words

import "testing"

func TestList(t *testing.T) {
	for _, tt := range []struct {
		items []string
		conj  string
		want  string
	}{
		{nil, "and", ""},
		{[]string{"a"}, "and", "a"},
		{[]string{"a", "b"}, "or", "a or b"},
		{[]string{"a", "b", "c"}, "and", "a, b and c"},
	} {
		if got := List(tt.items, tt.conj); got != tt.want {
			t.Errorf("List(%q, %q) = %q, want %q", tt.items, tt.conj, got, tt.want)
		}
	}
}

// A name holding ", " stays whole: quoting comes before joining.
func TestQuotedList(t *testing.T) {
	got := QuotedList([]string{"Support, EN", `say "hi"`, "c"}, "or")
	want := `"Support, EN", "say \"hi\"" or "c"`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestNumber(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 123456: "123,456", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := Number(n); got != want {
			t.Errorf("Number(%d) = %q, want %q", n, got, want)
		}
	}
}

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
