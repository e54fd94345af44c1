package simulate

import (
	"cmp"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/internal/lazyre"

	"github.com/flowctl/flowctl/schemas"
	"gopkg.in/yaml.v3"
)

// TestFile is a parsed conversation test (spec §6).
type TestFile struct {
	Path    string
	Name    string
	Flow    string // as written: relative to the test file, or absolute
	FlowPos Pos
	Org     string // "" when not set
	OrgPos  Pos
	// Client is the org file's OAuth client (name or id) to use; "" when
	// not set (the org file's only client).
	Client    string
	ClientPos Pos
	Steps     []Step
}

// Pos is a 1-based line and column in a test file.
type Pos = flow.Pos

// StepKind is the kind of a test step.
type StepKind string

// Step kinds.
const (
	StepBot      StepKind = "bot"
	StepError    StepKind = "error" // a run-time error of the flow
	StepUser     StepKind = "user"
	StepHandover StepKind = "handover"
	StepAgent    StepKind = "agent"
	StepWait     StepKind = "wait"
	StepMemory   StepKind = "memory" // memory values at this point
	StepClosed   StepKind = "closed"
)

var stepKinds = "bot, error, user, handover, agent, wait, memory or closed"

// Match is how a bot step compares a message.
type Match string

// Matches.
const (
	MatchAny      Match = ""      // a bot step with only quickReplies: any text
	MatchExact    Match = "exact" // written as the step's value, or {text: ...}
	MatchContains Match = "contains"
	MatchRegexp   Match = "matches"
)

// Step is one step of a test.
type Step struct {
	Pos  Pos
	Kind StepKind

	Text  string         // bot, error (expected), user (sent)
	Match Match          // bot, error
	Re    *regexp.Regexp // bot, error with matches
	// QuickReplies are the quick replies a bot step expects shown with
	// the message, when CheckReplies (an empty list: none).
	QuickReplies []string
	CheckReplies bool

	Queue      string      // handover
	QueuePos   Pos         // handover: where the queue name is
	Attributes []Attribute // handover: the listed attributes, in file order
	// AttributePos is where each listed attribute's key is.
	AttributePos []Pos
	Failed       bool // handover: the handover failed

	Agent  AgentEvent    // agent
	Wait   time.Duration // wait
	Memory []MemoryValue // memory: the listed keys, in file order
	Reason string        // closed
}

// MemoryValue is one key of a memory step and the value it must hold:
// a string, a number (float64), a bool, a list or a map, or nil for a key
// that must not be set.
type MemoryValue struct {
	Pos   Pos
	Key   string
	Value any
}

// Expectation describes what a bot or error step wants, for messages.
func (s Step) Expectation() string {
	what, exact := "a message", ""
	if s.Kind == StepError {
		what, exact = "a run-time error", "a run-time error "
	}
	var out string
	switch s.Match {
	case MatchAny:
		out = what
	case MatchContains:
		out = what + " containing " + strconv.Quote(s.Text)
	case MatchRegexp:
		out = what + " matching /" + s.Text + "/"
	default:
		out = exact + strconv.Quote(s.Text)
	}
	if s.CheckReplies {
		out += " with " + FormatQuickReplies(s.QuickReplies)
	}
	return out
}

// FormatQuickReplies renders quick replies as a transcript shows them,
// [Billing | Agent], or "no quick replies".
func FormatQuickReplies(qr []string) string {
	if len(qr) == 0 {
		return "no quick replies"
	}
	return "quick replies [" + strings.Join(qr, " | ") + "]"
}

// Problem is a mistake in a test file at a position.
type Problem struct {
	Pos
	Message string
}

// ParseTestFile parses and checks a test file against the test schema.
// Every problem is reported (YAML syntax, schema, duplicate keys, bad
// durations or regular expressions), sorted by position; steps the schema
// accepted are parsed even when others were not. The test must not run
// when there are any problems.
func ParseTestFile(path string, src []byte) (*TestFile, []Problem) {
	tf := &TestFile{Path: path, Name: defaultTestName(path)}
	d := schemas.ReadDocument(path, src, schemas.KindTest)
	var out []Problem
	var problems []schemas.Problem // the schema's
	for _, p := range d.Problems {
		switch p.Kind {
		case schemas.ProblemSyntax:
			out = append(out, Problem{Pos{Line: p.Line, Col: p.Col}, "YAML: " + p.Message})
		case schemas.ProblemLimit, schemas.ProblemEmpty, schemas.ProblemOtherKind, schemas.ProblemDuplicate, schemas.ProblemSchema:
			out = append(out, Problem{Pos{Line: p.Line, Col: p.Col}, p.Message})
		default:
			problems = append(problems, p)
		}
	}
	if d.Root == nil {
		return tf, out // nothing to read
	}
	badSteps := map[int]bool{} // steps with a schema problem: not parsed
	allSteps := false          // the steps field itself is wrong
	for _, p := range problems {
		out = append(out, Problem{Pos{Line: p.Line, Col: p.Col}, schemaMessage(p)})
		switch n, ok := stepIndex(p.Path); {
		case ok:
			badSteps[n] = true
		case p.Path == "steps":
			allSteps = true
		}
	}
	for _, kv := range pairs(d.Root) {
		k, v := kv[0], kv[1]
		if v.Kind != yaml.ScalarNode && k.Value != "steps" {
			continue // reported by the schema
		}
		switch k.Value {
		case "name":
			tf.Name = v.Value
		case "flow":
			tf.Flow, tf.FlowPos = v.Value, posOf(v)
		case "org":
			tf.Org, tf.OrgPos = v.Value, posOf(v)
		case "client":
			tf.Client, tf.ClientPos = v.Value, posOf(v)
		case "steps":
			if allSteps || v.Kind != yaml.SequenceNode {
				continue
			}
			for i, sn := range v.Content {
				if badSteps[i] {
					continue
				}
				st, p := parseStep(deref(sn))
				if p != nil {
					out = append(out, *p)
					continue
				}
				tf.Steps = append(tf.Steps, st)
			}
		}
	}
	if tf.Client != "" && tf.Org == "" {
		out = append(out, Problem{tf.ClientPos, "client names an OAuth client of the org file: set org too"})
	}
	return tf, sortProblems(out)
}

// stepIndex returns N when a schema path is steps[N] or inside it.
func stepIndex(path string) (int, bool) {
	rest, ok := strings.CutPrefix(path, "steps[")
	if !ok {
		return 0, false
	}
	num, _, ok := strings.Cut(rest, "]")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	return n, err == nil
}

// sortProblems sorts problems by position and drops exact repeats.
func sortProblems(ps []Problem) []Problem {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if c := cmp.Compare(a.Line, b.Line); c != 0 {
			return c
		}
		return cmp.Compare(a.Col, b.Col)
	})
	return slices.Compact(ps)
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

var stepPathRe = lazyre.New(`^steps\[\d+\]$`)

// schemaMessage rewords schema problems in the words of test files.
func schemaMessage(p schemas.Problem) string {
	parent, _, _ := strings.Cut(p.Path, ".")
	if p.Key != "" && stepPathRe.MatchString(parent) && strings.Count(p.Path, ".") == 1 {
		return fmt.Sprintf("unknown step kind %q: want %s", p.Key, stepKinds)
	}
	if stepPathRe.MatchString(p.Path) && p.Kind == "maxProperties" {
		return "a step has exactly one of " + stepKinds
	}
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

func posOf(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

func deref(n *yaml.Node) *yaml.Node { return schemas.Deref(n) }

// pairs returns a mapping's key/value pairs as the schema check reads them
// (aliases followed, merge keys applied, first value wins).
func pairs(n *yaml.Node) [][2]*yaml.Node {
	var out [][2]*yaml.Node
	schemas.Each(n, func(k, v *yaml.Node) { out = append(out, [2]*yaml.Node{k, v}) })
	return out
}

// regexpError is a regexp compile error without its "error parsing
// regexp: " prefix.
func regexpError(err error) string {
	return strings.TrimPrefix(err.Error(), "error parsing regexp: ")
}
