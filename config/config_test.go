package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

func TestParse(t *testing.T) {
	src := "version: 1\norg: ../org.yaml\nclient: Bot\nenable: [undefined-memory]\nstrict: true\ntests: [tests, /abs/t]\nonline: true\n"
	c, fs := Parse(filepath.Join("proj", FileName), []byte(src))
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	want := Config{
		File: filepath.Join("proj", FileName), Dir: "proj",
		Org: "org.yaml", OrgPos: flow.Pos{Line: 2, Col: 6},
		Client: "Bot", ClientPos: flow.Pos{Line: 3, Col: 9},
		Enable: []string{"undefined-memory"}, EnablePos: flow.Pos{Line: 4, Col: 9},
		Strict: true, Tests: []string{filepath.Join("proj", "tests"), "/abs/t"}, Online: true,
	}
	got := *c
	got.Has = nil
	if !equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	for _, k := range []string{"version", "org", "client", "enable", "strict", "tests", "online"} {
		if !c.Set(k) {
			t.Errorf("Set(%q) = false", k)
		}
	}
}

func equal(a, b Config) bool {
	return a.File == b.File && a.Dir == b.Dir && a.Org == b.Org && a.OrgPos == b.OrgPos &&
		a.Client == b.Client && a.ClientPos == b.ClientPos && slices.Equal(a.Enable, b.Enable) &&
		a.EnablePos == b.EnablePos && a.Strict == b.Strict && slices.Equal(a.Tests, b.Tests) && a.Online == b.Online
}

func TestParseFindings(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // line:col: severity: message [rule]
	}{
		{name: "empty", src: "", want: nil},
		{name: "only a comment", src: "# nothing yet\n", want: nil},
		{name: "null document", src: "~\n", want: nil},
		{name: "syntax", src: "org: \"a.yaml\nstrict: true\n", want: []string{"1:6: error: could not find end character of double-quoted text (is a quote left open?) [yaml-syntax]"}},
		{name: "tab", src: "strict: true\n\tonline: true\n", want: []string{"2:1: error: a tab indents this line: YAML indentation must use spaces [yaml-syntax]"}},
		{name: "two documents", src: "strict: true\n---\nstrict: false\n", want: []string{"2:1: error: the project config file holds one YAML document; remove the --- separator or split the file [yaml-syntax]"}},
		{name: "unknown field", src: "strict: true\nstrct: false\n", want: []string{`2:1: error: unknown field "strct": a config file sets version, org, client, enable, strict, tests or online [schema]`}},
		{name: "wrong type", src: "strict: yes please\n", want: []string{"1:9: error: strict: got string, want boolean [schema]"}},
		{name: "trailing separator", src: "strict: true\n---\n", want: nil},
		{name: "version", src: "version: 2\n", want: []string{"1:10: error: version: value must be 1 [schema]"}},
		{name: "unknown rule", src: "enable:\n  - undefined-memory\n  - no-such-rule\n", want: []string{`3:5: error: enable: unknown rule "no-such-rule" (optional rules: silent-end, undefined-memory) [schema]`}},
		{name: "rule that always runs", src: "enable: [bot-loop]\n", want: []string{`1:10: error: enable: rule "bot-loop" always runs; enable takes optional rules (silent-end, undefined-memory) [schema]`}},
		{name: "client without org", src: "client: Bot\n", want: []string{"1:9: error: client names an OAuth client of the org file: set org too [schema]"}},
		{name: "duplicate key", src: "strict: true\nstrict: false\n", want: []string{`2:1: error: key "strict" is duplicated; first defined at line 1, column 1 [duplicate-id]`}},
		{name: "empty org", src: "org: \"\"\n", want: []string{"1:6: error: org: must not be empty [schema]"}},
		{name: "not a mapping", src: "- org.yaml\n", want: []string{"1:1: error: got array, want object [schema]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, fs := Parse(FileName, []byte(tt.src))
			var got []string
			for _, f := range fs {
				got = append(got, strings.TrimPrefix(f.String(), FileName+":"))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	_, fs := Parse(FileName, make([]byte, MaxFileSize+1))
	if len(fs) != 1 || fs[0].Rule != flow.RuleFileSize {
		t.Errorf("got %v", fs)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(deep); err != nil || got != "" {
		// A config above the temporary folder would spoil this case; none
		// is expected on a test machine.
		t.Fatalf("no config: got %q, %v", got, err)
	}
	cfg := filepath.Join(root, "a", FileName)
	if err := os.WriteFile(cfg, []byte("strict: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(deep); err != nil || got != cfg {
		t.Errorf("from below: got %q, %v; want %q", got, err, cfg)
	}
	if got, err := Find(filepath.Join(root, "a")); err != nil || got != cfg {
		t.Errorf("in the folder: got %q, %v", got, err)
	}
	// A folder named like the config file is not one.
	if err := os.Mkdir(filepath.Join(deep, FileName), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, _ := Find(deep); got != cfg {
		t.Errorf("folder named flowctl.yaml: got %q", got)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, FileName)
	if err := os.WriteFile(p, []byte("org: org.yaml\ntests: [t]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, fs, err := Load(p)
	if err != nil || len(fs) != 0 {
		t.Fatalf("Load: %v %v", fs, err)
	}
	if c.Org != filepath.Join(dir, "org.yaml") || !slices.Equal(c.TestDirs(), []string{filepath.Join(dir, "t")}) {
		t.Errorf("paths not resolved against the file's folder: %+v", c)
	}
	if _, _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("missing file: no error")
	}
	if _, _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("folder: got %v", err)
	}
	var none *Config
	if none.Set("org") || none.TestDirs() != nil {
		t.Error("a nil config sets nothing")
	}
	c, _ = Parse(p, []byte("strict: true\n"))
	if !slices.Equal(c.TestDirs(), []string{dir}) {
		t.Errorf("default test folder: %v", c.TestDirs())
	}
}
