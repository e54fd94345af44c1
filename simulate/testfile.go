package simulate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/flowctl/flowctl/schemas"
	"gopkg.in/yaml.v3"
)

// TestFile is a parsed conversation test (spec §6).
type TestFile struct {
	Path    string
	Name    string
	Flow    string // as written, relative to the test file
	FlowPos Pos
	Org     string // "" when not set
	OrgPos  Pos
	Steps   []Step
}

// Pos is a 1-based line and column in a test file.
type Pos struct {
	Line int `json:"line"`
	Col  int `json:"column"`
}

// StepKind is the kind of a test step.
type StepKind string

// Step kinds.
const (
	StepBot      StepKind = "bot"
	StepUser     StepKind = "user"
	StepHandover StepKind = "handover"
	StepAgent    StepKind = "agent"
	StepWait     StepKind = "wait"
	StepClosed   StepKind = "closed"
)

var stepKinds = "bot, user, handover, agent, wait or closed"

// Match is how a bot step compares a message.
type Match string

// Matches.
const (
	MatchExact    Match = "exact"
	MatchContains Match = "contains"
	MatchRegexp   Match = "matches"
)

// Step is one step of a test.
type Step struct {
	Pos  Pos
	Kind StepKind

	Text  string         // bot (expected), user (sent)
	Match Match          // bot
	Re    *regexp.Regexp // bot with matches

	Queue      string      // handover
	Attributes []Attribute // handover: the listed attributes, in file order

	Agent  AgentEvent    // agent
	Wait   time.Duration // wait
	Reason string        // closed
}

// Expectation describes what a bot step wants, for messages.
func (s Step) Expectation() string {
	switch s.Match {
	case MatchContains:
		return "a message containing " + strconv.Quote(s.Text)
	case MatchRegexp:
		return "a message matching /" + s.Text + "/"
	}
	return strconv.Quote(s.Text)
}

// Problem is a mistake in a test file at a position.
type Problem struct {
	Pos
	Message string
}

// ParseTestFile parses and checks a test file against the test schema.
// Problems (YAML syntax, schema, bad durations or regular expressions) are
// returned sorted by position; the test must not run when there are any.
func ParseTestFile(path string, src []byte) (*TestFile, []Problem) {
	tf := &TestFile{Path: path, Name: defaultTestName(path)}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(src))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return tf, []Problem{{Pos{1, 1}, "the file is empty: a test needs flow and steps"}}
		}
		return tf, []Problem{yamlProblem(err)}
	}
	problems, err := schemas.Validate("test", &doc)
	if err != nil {
		return tf, []Problem{{Pos{1, 1}, err.Error()}}
	}
	var out []Problem
	for _, p := range problems {
		out = append(out, Problem{Pos{p.Line, p.Col}, schemaMessage(p)})
	}
	if len(out) > 0 {
		return tf, out
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "name":
			tf.Name = v.Value
		case "flow":
			tf.Flow, tf.FlowPos = v.Value, posOf(v)
		case "org":
			tf.Org, tf.OrgPos = v.Value, posOf(v)
		case "steps":
			for _, sn := range v.Content {
				st, p := parseStep(sn)
				if p != nil {
					out = append(out, *p)
					continue
				}
				tf.Steps = append(tf.Steps, st)
			}
		}
	}
	return tf, out
}

func defaultTestName(path string) string {
	base := filepath.Base(path)
	for _, ext := range []string{".test.yaml", ".test.yml", ".yaml", ".yml"} {
		if strings.HasSuffix(base, ext) {
			return strings.TrimSuffix(base, ext)
		}
	}
	return base
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlProblem(err error) Problem {
	msg := err.Error()
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{Pos{n, 1}, "YAML: " + m[2]}
	}
	return Problem{Pos{1, 1}, "YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

var stepPathRe = regexp.MustCompile(`^steps\[\d+\]$`)

// schemaMessage rewords schema problems in the words of test files.
func schemaMessage(p schemas.Problem) string {
	parent, _, _ := strings.Cut(p.Path, ".")
	if p.Key != "" && stepPathRe.MatchString(parent) && strings.Count(p.Path, ".") == 1 {
		return fmt.Sprintf("unknown step kind %q: want %s", p.Key, stepKinds)
	}
	if stepPathRe.MatchString(p.Path) && strings.Contains(strings.ToLower(p.Message), "properties") {
		return "a step has exactly one of " + stepKinds
	}
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

func posOf(n *yaml.Node) Pos { return Pos{n.Line, n.Column} }

// parseStep decodes a step the schema accepted.
func parseStep(n *yaml.Node) (Step, *Problem) {
	k, v := n.Content[0], n.Content[1]
	st := Step{Pos: posOf(k), Kind: StepKind(k.Value)}
	bad := func(at *yaml.Node, format string, a ...any) (Step, *Problem) {
		return st, &Problem{posOf(at), fmt.Sprintf(format, a...)}
	}
	switch st.Kind {
	case StepBot:
		st.Match, st.Text = MatchExact, v.Value
		if v.Kind == yaml.MappingNode {
			mk, mv := v.Content[0], v.Content[1]
			st.Match, st.Text = Match(mk.Value), mv.Value
			if st.Match == MatchRegexp {
				re, err := regexp.Compile(mv.Value)
				if err != nil {
					return bad(mv, "bad regular expression %q: %v", mv.Value, regexpError(err))
				}
				st.Re = re
			}
		}
	case StepUser:
		st.Text = v.Value
	case StepHandover:
		st.Queue = v.Value
		if v.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(v.Content); i += 2 {
				switch v.Content[i].Value {
				case "queue":
					st.Queue = v.Content[i+1].Value
				case "attributes":
					a := v.Content[i+1]
					for j := 0; j+1 < len(a.Content); j += 2 {
						st.Attributes = append(st.Attributes, Attribute{Key: a.Content[j].Value, Value: a.Content[j+1].Value})
					}
				}
			}
		}
	case StepAgent:
		if v.Kind == yaml.ScalarNode {
			st.Agent = AgentEvent{Action: AgentAction(v.Value)}
			break
		}
		mk, mv := v.Content[0], v.Content[1]
		st.Agent = AgentEvent{Action: AgentAction(mk.Value), Text: mv.Value, Queue: mv.Value}
		if st.Agent.Action == AgentSay {
			st.Agent.Queue = ""
		} else {
			st.Agent.Text = ""
		}
	case StepWait:
		d, err := ParseWait(v.Value)
		if err != nil {
			return bad(v, "wait: %v", err)
		}
		st.Wait = d
	case StepClosed:
		st.Reason = v.Value
	}
	return st, nil
}

func regexpError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "error parsing regexp") {
		return strings.TrimPrefix(msg, "error parsing regexp: ")
	}
	return msg
}
