package simulate

import "testing"

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hi! How can I help?", "Hi! How can I help?"},
		{"Grüße, 你好 ✓", "Grüße, 你好 ✓"},
		{"\x1b[2Jcleared", `\x1b[2Jcleared`},
		{"done\rfake line", `done\rfake line`},
		{"two\nlines\tand tab", `two\nlines\tand tab`},
		{"evil\u202egnp.exe", `evil\u202egnp.exe`},
		{"\u2066isolate\u2069 \u200e", `\u2066isolate\u2069 \u200e`},
		{"c1 \u009b31m csi", `c1 \u009b31m csi`},
		{"bell\x07 del\x7f nul\x00", `bell\x07 del\x7f nul\x00`},
		{"bad \x9b utf-8", `bad \x9b utf-8`},
		{"sep\u2028x", `sep\u2028x`},
		{`back\slash`, `back\slash`},
	}
	for _, tt := range tests {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, want := PrintableLines("{\n  \"a\": \"\u202e\x1b\"\n}"), "{\n  \"a\": \"\\u202e\\x1b\"\n}"; got != want {
		t.Errorf("PrintableLines = %q, want %q", got, want)
	}
}
