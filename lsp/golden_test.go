package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/flowctl/flowctl/internal/golden"
	"github.com/flowctl/flowctl/lsp/lsptest"
)

// project is the test project: a config, an org file, a flow and tests.
var project = func() string {
	p, err := filepath.Abs("testdata/project")
	if err != nil {
		panic(err)
	}
	return p
}()

// uriOf is the file: URI of a file of the test project.
func uriOf(rel string) string { return string(pathURI(filepath.Join(project, rel))) }

// startServer runs a server through a pipe, initialised on the project.
func startServer(t testing.TB, opts Options) *lsptest.Client {
	t.Helper()
	c := lsptest.Start(t, func(ctx context.Context, s io.ReadWriteCloser) error { return Serve(ctx, s, opts) })
	c.Initialize(string(pathURI(project)))
	return c
}

// openFile opens a file of the project with its text on disk.
func openFile(t testing.TB, c *lsptest.Client, rel string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(project, rel))
	if err != nil {
		t.Fatal(err)
	}
	c.Open(uriOf(rel), string(src), 1)
	return string(src)
}

// posOf is the protocol position of the n-th byte of needle's first
// occurrence in src (UTF-16 characters).
func posOf(t testing.TB, src, needle string, n int) (int, int) {
	t.Helper()
	i := strings.Index(src, needle)
	if i < 0 {
		t.Fatalf("%q not in the text", needle)
	}
	i += n
	line := strings.Count(src[:i], "\n")
	start := strings.LastIndexByte(src[:i], '\n') + 1
	return line, len(utf16.Encode([]rune(src[start:i])))
}

// checkGolden compares replies (a JSON value) with testdata/golden/NAME.json,
// with the project's path written as $PROJECT; -update rewrites it.
func checkGolden(t *testing.T, name string, replies any) {
	t.Helper()
	raw, err := json.Marshal(replies)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(buf.String(), string(pathURI(project)), "file://$PROJECT") + "\n"
	golden.Check(t, filepath.Join("testdata", "golden", name+".json"), got)
}
