package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/schemas"
	"gopkg.in/yaml.v3"
)

// FileName is the name of the project config file.
const FileName = "flowctl.yaml"

// MaxFileSize is the largest config file flowctl reads.
const MaxFileSize = 1 << 20

// Config is a project config file. Paths in it are resolved against the
// file's folder. The zero Config (no file) means every default.
type Config struct {
	File   string // the config file as found or named; "" when there is none
	Dir    string // its folder
	Source []byte // the file's bytes, for snippets

	Org       string   // org file ("" when unset), resolved
	OrgPos    flow.Pos // where org is written
	Client    string   // OAuth client of the org file ("" when unset)
	ClientPos flow.Pos
	Enable    []string // optional rules to run; nil when unset
	EnablePos flow.Pos
	Strict    bool
	Tests     []string // test folders, resolved; nil when unset
	Online    bool     // lsp: queue checks online when Org is unset

	// Has records which top-level keys the file sets ("org", "strict", ...),
	// so that a command applies only those, below its flags.
	Has map[string]bool
}

// Set reports whether the file sets key.
func (c *Config) Set(key string) bool { return c != nil && c.Has[key] }

// TestDirs returns the folders to search for test files: the tests
// setting, or the config file's folder.
func (c *Config) TestDirs() []string {
	if c == nil || c.File == "" {
		return nil
	}
	if c.Tests != nil {
		return c.Tests
	}
	return []string{c.Dir}
}

// Find returns the config file in dir or the nearest folder above it, or
// "" when there is none. dir is made absolute first.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(abs, FileName)
		st, err := os.Stat(p)
		switch {
		case err == nil && !st.IsDir():
			return p, nil
		case err != nil && !errors.Is(err, os.ErrNotExist):
			return "", err
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", nil
		}
		abs = parent
	}
}

// Load reads and parses a config file with the reader of every flowctl
// file (schemas.ReadFile: a device, FIFO or socket is refused unread). The
// error is for a file that cannot be read; problems in its content are
// findings (and the config is then not to be used).
func Load(path string) (*Config, []flow.Finding, error) {
	src, err := schemas.ReadFile(path)
	var fe *schemas.FileSizeError
	if errors.As(err, &fe) {
		return newConfig(path, nil), tooLarge(path), nil
	}
	if err != nil {
		return nil, nil, err
	}
	c, fs := Parse(path, src)
	return c, fs, nil
}

func newConfig(file string, src []byte) *Config {
	return &Config{File: file, Dir: filepath.Dir(file), Source: src, Has: map[string]bool{}}
}

// tooLarge is the finding of a config file over MaxFileSize.
func tooLarge(file string) []flow.Finding {
	r := reporter{file: file}
	r.add(flow.RuleFileSize, flow.Pos{Line: 1, Col: 1}, fmt.Sprintf("a config file is limited to %d KiB", MaxFileSize>>10))
	return r.out
}

// Parse builds a config from a file's bytes (file names it in findings and
// anchors its relative paths). Every problem is a finding, sorted by
// position: yaml-syntax for bytes that are not one YAML document, schema
// for the rest.
func Parse(file string, src []byte) (*Config, []flow.Finding) {
	if len(src) > MaxFileSize {
		return newConfig(file, nil), tooLarge(file)
	}
	c := newConfig(file, src)
	r := reporter{file: file}
	d := schemas.ReadDocument(file, src, schemas.KindConfig)
	for _, pr := range d.Problems {
		pos := flow.Pos{Line: pr.Line, Col: pr.Col}
		switch pr.Kind {
		case schemas.ProblemSyntax:
			r.add(flow.RuleYAMLSyntax, pos, pr.Message)
		case schemas.ProblemDuplicate:
			r.add(flow.RuleDuplicateID, pos, pr.Message)
		case schemas.ProblemLimit, schemas.ProblemEmpty, schemas.ProblemOtherKind, schemas.ProblemSchema:
			r.add(flow.RuleSchema, pos, pr.Message)
		default:
			r.add(flow.RuleSchema, pos, problemMessage(pr))
		}
	}
	if d.Root == nil {
		return c, flow.SortFindings(r.out)
	}
	// Read what can be read even when the schema found problems, so that
	// every problem is reported at once (the config is not used then).
	c.build(d.Root, &r)
	return c, flow.SortFindings(r.out)
}

// build reads the settings; values of the wrong kind (reported by the
// schema) are skipped.
func (c *Config) build(root *yaml.Node, r *reporter) {
	schemas.Each(root, func(k, v *yaml.Node) {
		if v.Kind == yaml.SequenceNode {
			v = scalars(v)
		} else if v.Kind != yaml.ScalarNode {
			return
		}
		c.Has[k.Value] = true
		at := flow.Pos{Line: v.Line, Col: v.Column}
		switch k.Value {
		case "org":
			c.Org, c.OrgPos = c.path(v.Value), at
		case "client":
			c.Client, c.ClientPos = v.Value, at
		case "enable":
			c.Enable, c.EnablePos = []string{}, at
			for _, item := range v.Content {
				c.Enable = append(c.Enable, item.Value)
				if err := flow.CheckEnable([]string{item.Value}); err != nil {
					r.add(flow.RuleSchema, flow.Pos{Line: item.Line, Col: item.Column}, "enable: "+strings.Replace(err.Error(), "--enable", "enable", 1))
				}
			}
		case "strict":
			c.Strict = v.Value == "true"
		case "online":
			c.Online = v.Value == "true"
		case "tests":
			c.Tests = []string{}
			for _, item := range v.Content {
				c.Tests = append(c.Tests, c.path(item.Value))
			}
		}
	})
	if c.Has["client"] && !c.Has["org"] {
		r.add(flow.RuleSchema, c.ClientPos, "client names an OAuth client of the org file: set org too")
	}
}

// path resolves a path written in the file against its folder.
func (c *Config) path(p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(c.Dir, p)
}

// scalars returns a sequence of the scalar items of seq, aliases followed.
func scalars(seq *yaml.Node) *yaml.Node {
	out := &yaml.Node{Kind: yaml.SequenceNode, Line: seq.Line, Column: seq.Column}
	for _, item := range seq.Content {
		if item = schemas.Deref(item); item != nil && item.Kind == yaml.ScalarNode {
			out.Content = append(out.Content, item)
		}
	}
	return out
}

func isNull(n *yaml.Node) bool {
	n = schemas.Deref(n)
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// keys names the settings, for "unknown field" messages.
const keys = "version, org, client, enable, strict, tests or online"

func problemMessage(pr schemas.Problem) string {
	if pr.Key != "" && !strings.Contains(pr.Path, ".") && !strings.Contains(pr.Path, "[") {
		return fmt.Sprintf("unknown field %q: a config file sets %s", pr.Key, keys)
	}
	if pr.Path == "" {
		return pr.Message
	}
	return pr.Path + ": " + pr.Message
}

// reporter collects a config file's findings.
type reporter struct {
	file string
	out  []flow.Finding
}

func (r *reporter) add(rule string, pos flow.Pos, msg string) {
	sev := flow.SeverityError
	if rl := flow.LookupRule(rule); rl != nil {
		sev = rl.Severity
	}
	r.out = append(r.out, flow.Finding{File: r.file, Line: pos.Line, Column: pos.Col, Severity: sev, Rule: rule, Message: msg})
}
