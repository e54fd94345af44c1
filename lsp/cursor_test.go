package lsp

import (
	"slices"
	"strings"
	"testing"
)

// TestCursorAt reads the structure at the @@ of each text.
func TestCursorAt(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		path   []string
		key    string
		inKey  bool
		scalar bool
	}{
		{name: "top-level key", src: "version: 1\nna@@", path: nil, inKey: true},
		{name: "top-level value", src: "start: ma@@", key: "start"},
		{name: "block field", src: "flows:\n  main:\n    blocks:\n      - id: a\n        ty@@", path: []string{"flows", "main", "blocks", "-"}, inKey: true},
		{name: "key on the dash line", src: "flows:\n  main:\n    blocks:\n      - ne@@", path: []string{"flows", "main", "blocks", "-"}, inKey: true},
		{name: "next value", src: "flows:\n  main:\n    blocks:\n      - id: a\n        next: b@@", path: []string{"flows", "main", "blocks", "-"}, key: "next"},
		{name: "output next", src: "flows:\n  main:\n    blocks:\n      - id: a\n        outputs:\n          - when: x\n            next: @@", path: []string{"flows", "main", "blocks", "-", "outputs", "-"}, key: "next"},
		{name: "flow mapping", src: "flows:\n  main:\n    blocks:\n      - { id: a, text: \"{x}, y\", next: @@", path: []string{"flows", "main", "blocks", "-"}, key: "next"},
		{name: "flow mapping key", src: "flows:\n  main:\n    blocks:\n      - { id: a, ty@@", path: []string{"flows", "main", "blocks", "-"}, inKey: true},
		{name: "commands", src: "flows:\n  main:\n    blocks:\n      - id: a\n        commands:\n          Set@@", path: []string{"flows", "main", "blocks", "-", "commands"}, inKey: true},
		{name: "block scalar", src: "flows:\n  main:\n    blocks:\n      - id: a\n        text: |\n          Hello\n          wor@@", path: []string{"flows", "main", "blocks", "-", "text"}, inKey: true, scalar: true},
		{name: "comment lines skipped", src: "flows:\n  # main flow\n  main:\n\n    st@@", path: []string{"flows", "main"}, inKey: true},
		{name: "test step", src: "steps:\n  - bot: hi\n  - cl@@", path: []string{"steps", "-"}, inKey: true},
		{name: "config list", src: "enable:\n  - und@@", path: []string{"enable", "-"}, inKey: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := strings.Index(tt.src, "@@")
			tx := newText(tt.src[:i] + tt.src[i+1:])
			c := cursorAt(tx, i)
			if !slices.Equal(c.path, tt.path) || c.key != tt.key || c.inKey != tt.inKey || c.scalar != tt.scalar {
				t.Errorf("path %q key %q inKey %v scalar %v; want %q %q %v %v", c.path, c.key, c.inKey, c.scalar, tt.path, tt.key, tt.inKey, tt.scalar)
			}
		})
	}
}
