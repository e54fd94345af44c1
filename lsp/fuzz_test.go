package lsp

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// snippets are what the fuzzer types: YAML structure, flow keys,
// expressions, non-ASCII text.
var snippets = []string{
	":", "- ", " ", "\n", "  ", "{", "}", "[", "]", "\"", "'", "#", ",", "\t", "|\n", "&a ", "*a", "<<: *a\n",
	"next: ", "onError: ", "start: ", "id: ", "type: say", "type: redirect", "queue: ", "flow: ", "outputs:\n  - ",
	"when: ", "nlu.intent == \"", "{memory.", "memory.", "ä", "😀", "\r\n", "---\n", "commands:\n  ", "text: ",
}

// FuzzEdits applies random edit sequences to a document and calls every
// feature after each edit, straight on the handlers (no panic recovery):
// nothing may panic.
//
//	go test ./lsp -run XXX -fuzz FuzzEdits -fuzztime 1m
func FuzzEdits(f *testing.F) {
	seeds, _ := filepath.Glob("../flow/testdata/*/*.flow.y*ml")
	seeds = append(seeds, filepath.Join(project, flowFile), filepath.Join(project, "tests/handover.test.yaml"),
		filepath.Join(project, completeFile), filepath.Join(project, "noorg/fixes.flow.yaml"), filepath.Join(project, "noorg/flowctl.yaml"))
	for i, s := range seeds {
		src, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(filepath.Base(s), string(src), []byte{byte(i), 3, 7, 1, 200, 9, 4, 2, byte(i * 7), 0, 5, 5})
	}
	f.Fuzz(runFuzz)
}

func runFuzz(t *testing.T, name, src string, script []byte) {
	{
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newServer(ctx, Options{})
		s.inited = true
		// The file kind comes from the seed's name: flow, test or config.
		path := filepath.Join(project, "flows", "fuzz.flow.yaml")
		switch kindOf(name) {
		case kindTest:
			path = filepath.Join(project, "tests", "fuzz.test.yaml")
		case kindConfig:
			path = filepath.Join(project, "sub", "flowctl.yaml")
		}
		uri := pathURI(path)
		must(t, s.didOpen(nil, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uri, Version: 1, Text: src}}))
		for i := 0; i+3 < len(script) && i < 400; i += 4 {
			op, a, b, c := script[i], script[i+1], script[i+2], script[i+3]
			s.mu.Lock()
			t0 := s.docs[uri].text
			s.mu.Unlock()
			pos := protocol.Position{Line: protocol.UInteger(int(a) % (t0.lines() + 1)), Character: protocol.UInteger(b % 90)}
			end := protocol.Position{Line: pos.Line + protocol.UInteger(c%3), Character: protocol.UInteger(c % 40)}
			version := protocol.Integer(i/4 + 2)
			switch op % 4 {
			case 0: // type a snippet
				must(t, s.didChange(nil, &protocol.DidChangeTextDocumentParams{
					TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}, Version: version},
					ContentChanges: []any{protocol.TextDocumentContentChangeEvent{Range: &protocol.Range{Start: pos, End: pos}, Text: snippets[int(c)%len(snippets)]}},
				}))
			case 1: // delete a range (possibly reversed or past the end)
				must(t, s.didChange(nil, &protocol.DidChangeTextDocumentParams{
					TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}, Version: version},
					ContentChanges: []any{protocol.TextDocumentContentChangeEvent{Range: &protocol.Range{Start: pos, End: end}, Text: ""}},
				}))
			}
			callEverything(t, s, uri, pos, end)
		}
	}
}

// callEverything runs every feature at a position and the diagnostics.
func callEverything(t *testing.T, s *Server, uri protocol.DocumentUri, pos, end protocol.Position) {
	doc := protocol.TextDocumentIdentifier{URI: uri}
	tp := protocol.TextDocumentPositionParams{TextDocument: doc, Position: pos}
	_, err := s.completion(nil, &protocol.CompletionParams{TextDocumentPositionParams: tp})
	must(t, err)
	_, err = s.hover(nil, &protocol.HoverParams{TextDocumentPositionParams: tp})
	must(t, err)
	_, err = s.definition(nil, &protocol.DefinitionParams{TextDocumentPositionParams: tp})
	must(t, err)
	_, err = s.references(nil, &protocol.ReferenceParams{TextDocumentPositionParams: tp})
	must(t, err)
	_, _ = s.rename(nil, &protocol.RenameParams{TextDocumentPositionParams: tp, NewName: "renamed"}) // an error reply is fine
	_, err = s.prepareRename(nil, &protocol.PrepareRenameParams{TextDocumentPositionParams: tp})
	must(t, err)
	_, err = s.documentSymbol(nil, &protocol.DocumentSymbolParams{TextDocument: doc})
	must(t, err)
	_, err = s.codeAction(nil, &protocol.CodeActionParams{TextDocument: doc, Range: protocol.Range{Start: pos, End: end}})
	must(t, err)
	if _, an := s.doc(uri); an != nil {
		an.diagnostics()
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
