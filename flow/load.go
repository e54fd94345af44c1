package flow

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flowctl/flowctl/internal/lazyre"
	"github.com/flowctl/flowctl/internal/words"
	"github.com/flowctl/flowctl/schemas"
	"gopkg.in/yaml.v3"
)

// PathErrorCause returns the cause of the *fs.PathError in err's chain,
// without the operation and path (for messages that name the file
// already), or err itself when there is none.
func PathErrorCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Load reads and parses a flow file. The error is for a file that cannot be
// read (a directory, device or FIFO included); problems in its content are
// findings (see Validate).
func Load(path string) (*Project, error) {
	src, err := schemas.ReadFile(path)
	var fe *schemas.FileSizeError
	if errors.As(err, &fe) {
		p := &Project{File: path, MaxInactivity: DefaultMaxInactivity, flowByName: map[string]*Flow{}}
		p.findings = append(p.findings, tooLarge(path, fe.Size))
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	return Parse(path, src), nil
}

// Parse builds a project from a file's bytes. It never fails: syntax and
// schema problems are kept as findings, and as much of the model as can be
// recognised is built so that the other rules still run.
func Parse(file string, src []byte) *Project {
	p := &Project{File: file, Source: src, MaxInactivity: DefaultMaxInactivity, flowByName: map[string]*Flow{}}
	li := newLineIndex(src)
	p.lines = li
	if f, ok := checkBytes(file, src, li); !ok {
		p.Source, p.lines = nil, nil
		p.findings = append(p.findings, f)
		return p
	}
	d := schemas.ReadDocument(file, src, schemas.KindFlow)
	for _, pr := range d.Problems {
		switch pr.Kind {
		case schemas.ProblemSyntax:
			p.add(RuleYAMLSyntax, Pos{pr.Line, pr.Col}, "%s", pr.Message)
		case schemas.ProblemDuplicate:
			p.add(RuleDuplicateID, Pos{pr.Line, pr.Col}, "%s", pr.Message)
		case schemas.ProblemLimit, schemas.ProblemEmpty, schemas.ProblemOtherKind, schemas.ProblemSchema:
			p.add(RuleSchema, Pos{pr.Line, pr.Col}, "%s", pr.Message)
		default:
			pr.Path = readablePath(d.Root, pr.Path)
			p.add(RuleSchema, Pos{pr.Line, pr.Col}, "%s", schemaMessage(pr))
		}
	}
	root := d.Root
	if root == nil {
		return p
	}
	b := builder{p: p, li: li, release: !d.Aliases}
	if len(src) >= pipelineFrom {
		b.exprs.startPipe()
		defer b.exprs.stopPipe()
	}
	b.project(root)
	b.exprs.run()
	if e := b.exprs.over; e != nil {
		p.add(RuleExprSyntax, e.Pos, "more than %d expressions in one file (conditions, memory values and {...}): split the project", MaxExprs)
	}
	p.link()
	return p
}

// pipelineFrom is the file size from which the builder has expressions
// checked on a second core while it reads the tree (exprPipe; the tree
// itself is decoded on every core from about that size, see
// schemas.Decode). A smaller file is done before that pays, and validate
// loads several at once anyway.
var pipelineFrom = 256 << 10

func (p *Project) add(rule string, pos Pos, format string, a ...any) {
	if pos.Line == 0 {
		pos = Pos{1, 1}
	}
	msg := format
	if len(a) > 0 {
		msg = fmt.Sprintf(format, a...)
	}
	p.findings = append(p.findings, Finding{File: p.File, Line: pos.Line, Column: pos.Col, Severity: severityOf(rule), Rule: rule, Message: cleanMessage(msg)})
}

// fieldOwners returns, for each field some block types take and others do
// not, the types that take it ("say, ask, set and end"), from the flow
// schema's per-type field lists.
var fieldOwners = sync.OnceValue(func() map[string]string {
	byField := map[string][]string{}
	for _, t := range BlockTypes {
		for _, f := range schemas.FlowBlockFields()[string(t)] {
			byField[f] = append(byField[f], string(t))
		}
	}
	out := map[string]string{}
	for f, types := range byField {
		switch n := len(types); {
		case n == len(BlockTypes):
		case n == 1:
			out[f] = types[0]
		default:
			out[f] = words.List(types, "and")
		}
	}
	return out
})

// wantDuration is what session.maxInactivity must be.
const wantDuration = "must be a positive duration such as 15m or 1h30m"

// schemaProblemAt reports whether the schema check found a problem at pos:
// the builder then says nothing more about that value.
func (p *Project) schemaProblemAt(pos Pos) bool {
	return slices.ContainsFunc(p.findings, func(f Finding) bool {
		return f.Rule == RuleSchema && f.Line == pos.Line && f.Column == pos.Col
	})
}

func schemaMessage(pr schemas.Problem) string {
	if pr.Key != "" {
		return parentPath(pr.Path) + ": " + pr.Message // unknown field, maybe with "did you mean"
	}
	if pr.Kind == "pattern" {
		switch {
		case strings.HasSuffix(pr.Path, "maxInactivity"):
			return fmt.Sprintf("%s: %s, got %q", pr.Path, wantDuration, pr.Value)
		case strings.HasSuffix(pr.Path, ".id"):
			return fmt.Sprintf("%s: block id %q must start with a letter and hold only letters, digits, _ and -", pr.Path, pr.Value)
		case strings.HasSuffix(pr.Path, ".variable"):
			return fmt.Sprintf("%s: variable %q must start with a letter or _ and hold only letters, digits and _", pr.Path, pr.Value)
		}
	}
	if pr.Path == "" {
		return pr.Message
	}
	return pr.Path + ": " + pr.Message
}

var blockPathRe = lazyre.New(`^flows\.([^.\[]+)\.blocks\[(\d+)\]`)

// readablePath names a block by its id: flows.main.blocks[3].input becomes
// flows.main.blocks[3] (greet).input.
func readablePath(root *yaml.Node, path string) string {
	m := blockPathRe.FindStringSubmatchIndex(path)
	if m == nil {
		return path
	}
	flowName, idx := path[m[2]:m[3]], path[m[4]:m[5]]
	var id string
	each(root, func(k, v *yaml.Node) {
		if k.Value != "flows" {
			return
		}
		each(v, func(k, v *yaml.Node) {
			if k.Value != flowName {
				return
			}
			each(v, func(k, v *yaml.Node) {
				if k.Value != "blocks" || v.Kind != yaml.SequenceNode {
					return
				}
				i, err := strconv.Atoi(idx)
				if err != nil || i >= len(v.Content) {
					return
				}
				each(v.Content[i], func(k, v *yaml.Node) {
					if k.Value == "id" && isScalar(v) && v.Value != "" {
						id = v.Value
					}
				})
			})
		})
	})
	return path[:m[1]] + idSuffix(id) + path[m[1]:]
}

func idSuffix(id string) string {
	if id == "" {
		return ""
	}
	return " (" + id + ")"
}

func parentPath(p string) string {
	if i := strings.LastIndexAny(p, ".["); i > 0 {
		return p[:i]
	}
	return "top level"
}

// builder turns the YAML tree into the model, leniently: nodes of the wrong
// shape are skipped (the schema reports them).
type builder struct {
	p     *Project
	li    *lineIndex
	exprs batch // checked together once the file is read
	// release lets the builder drop the tree's blocks as it goes; only
	// without aliases (an alias or merge key could reach a list again).
	release bool
}

// each calls fn for each key/value of a mapping as the schema check reads
// it (aliases followed, merge keys applied, first value wins).
func each(n *yaml.Node, fn func(k, v *yaml.Node)) { schemas.Each(n, fn) }

func deref(n *yaml.Node) *yaml.Node { return schemas.Deref(n) }

func isString(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str"
}

func isScalar(n *yaml.Node) bool { return n != nil && n.Kind == yaml.ScalarNode }

func isNull(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func (b *builder) project(root *yaml.Node) {
	p := b.p
	var flowsNode *yaml.Node
	each(root, func(k, v *yaml.Node) {
		switch k.Value {
		case "version":
			var n int
			if v.Decode(&n) == nil {
				p.Version = n
			}
		case "name":
			if isString(v) {
				p.Name = v.Value
			}
		case "start":
			if isScalar(v) {
				p.Start, p.StartPos, p.startSet = v.Value, posOf(v), true
			}
		case "session":
			each(v, func(k, v *yaml.Node) {
				if k.Value == "maxInactivity" && isScalar(v) {
					d, err := time.ParseDuration(v.Value)
					if err == nil && d > 0 {
						p.MaxInactivity = d
					} else if err == nil && !p.schemaProblemAt(posOf(v)) {
						// 0s: the schema's pattern took it; -5m: it did not.
						p.add(RuleSchema, posOf(v), "session.maxInactivity: %s, got %q", wantDuration, v.Value)
					}
				}
			})
		case "intents":
			each(v, func(k, v *yaml.Node) { p.Intents = append(p.Intents, b.intent(k, v)) })
		case "flows":
			flowsNode = v
			each(v, func(k, v *yaml.Node) {
				f := b.flow(k, v)
				p.Flows = append(p.Flows, f)
				p.flowByName[f.Name] = f
			})
		}
	})
	if !p.startSet {
		p.StartPos = posOf(flowsNode)
		if flowsNode == nil {
			p.StartPos = posOf(root)
		}
		switch len(p.Flows) {
		case 1:
			p.Start = p.Flows[0].Name
		case 0:
		default:
			names := make([]string, len(p.Flows))
			for i, f := range p.Flows {
				names[i] = f.Name
			}
			p.add(RuleSchema, posOf(root), "missing required field \"start\": the file has %d flows (%s); name the entry flow", len(names), strings.Join(names, ", "))
		}
	}
}

func (b *builder) strings(n *yaml.Node) []string {
	var out []string
	if n != nil && n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			if c = deref(c); isScalar(c) {
				out = append(out, c.Value)
			}
		}
	}
	return out
}

func (b *builder) intent(k, v *yaml.Node) *Intent {
	in := &Intent{Name: k.Value, Pos: posOf(k)}
	each(v, func(k, v *yaml.Node) {
		in.terms = append(in.terms, intentTerms(k.Value, v)...)
		switch k.Value {
		case "keywords":
			in.Keywords = b.strings(v)
		case "examples":
			in.Examples = b.strings(v)
		case "patterns":
			if v.Kind != yaml.SequenceNode {
				return
			}
			for _, c := range v.Content {
				if c = deref(c); !isScalar(c) {
					continue
				}
				if re := b.regex(c); re != nil {
					in.Patterns = append(in.Patterns, re)
				}
			}
		}
	})
	return in
}

// regex compiles a pattern scalar, reporting a regex-syntax finding.
func (b *builder) regex(n *yaml.Node) *regexp.Regexp {
	re, err := regexp.Compile(n.Value)
	if err != nil {
		msg := err.Error()
		var se *syntax.Error
		if errors.As(err, &se) {
			msg = fmt.Sprintf("%s: %q", se.Code, se.Expr)
		}
		b.p.add(RuleRegexSyntax, posOf(n), "invalid regular expression %q: %s", n.Value, msg)
		return nil
	}
	return re
}

func (b *builder) flow(k, v *yaml.Node) *Flow {
	f := &Flow{Name: k.Value, Pos: posOf(k), StartPos: posOf(k), byID: map[string]*Block{}, project: b.p}
	each(v, func(k, v *yaml.Node) {
		switch k.Value {
		case "start":
			if isScalar(v) {
				f.Start, f.StartPos, f.startSet = v.Value, posOf(v), true
			}
		case "blocks":
			if v.Kind != yaml.SequenceNode {
				return
			}
			f.Blocks = make([]*Block, 0, len(v.Content))
			for i, c := range v.Content {
				if b.release {
					// Nothing reads the tree after the builder: a block's
					// nodes may go once it is built, so the tree and the
					// model are not both whole in memory.
					v.Content[i] = nil
				}
				if c = deref(c); c == nil || c.Kind != yaml.MappingNode {
					continue
				}
				bl := b.block(f, c, len(f.Blocks))
				f.Blocks = append(f.Blocks, bl)
				if _, dup := f.byID[bl.ID]; !dup && bl.ID != "" {
					f.byID[bl.ID] = bl
				}
			}
		}
	})
	return f
}

func (b *builder) template(n *yaml.Node) *Template {
	return parseTemplate(n.Value, b.li.scalarPos(n), &b.exprs)
}

func (b *builder) templates(n *yaml.Node) []*Template {
	if isScalar(n) && !isNull(n) {
		return []*Template{b.template(n)}
	}
	var out []*Template
	if n != nil && n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			if c = deref(c); isScalar(c) {
				out = append(out, b.template(c))
			}
		}
	}
	return out
}

func (b *builder) ref(n *yaml.Node) *Ref {
	if !isScalar(n) || isNull(n) {
		return nil
	}
	return &Ref{Name: n.Value, Pos: posOf(n)}
}

func (b *builder) block(f *Flow, n *yaml.Node, index int) *Block {
	bl := &Block{Flow: f, Pos: posOf(n), QueuePos: posOf(n)}
	var nextKey, outputsKey *yaml.Node
	var keys []*yaml.Node
	defer func() {
		bl.misspelt = misspeltFields(keys)
		b.checkBlockFields(bl, keys, index)
		if nextKey != nil && outputsKey != nil {
			b.p.add(RuleSchema, posOf(outputsKey), "block %q has both next and outputs: use next for one way on, or outputs (a default output replaces next)", bl.ID)
		}
	}()
	each(n, func(k, v *yaml.Node) {
		keys = append(keys, k)
		switch k.Value {
		case "id":
			if isScalar(v) {
				bl.ID, bl.IDPos = v.Value, posOf(v)
			}
		case "type":
			bl.TypePos = posOf(v)
			if isScalar(v) {
				for _, t := range BlockTypes {
					if string(t) == v.Value {
						bl.Type = t
					}
				}
			}
		case "text":
			bl.Text, bl.TextPos = b.templates(v), posOf(v)
		case "input":
			_ = v.Decode(&bl.Input)
		case "quickReplies":
			bl.QuickReplies, bl.QuickRepliesPos = b.templates(v), posOf(k)
		case "reprompt":
			bl.Reprompt = b.templates(v)
		case "variable":
			bl.VariablePos = posOf(v)
			if isScalar(v) {
				bl.Variable = v.Value
			}
		case "entity":
			if isScalar(v) {
				bl.Entity, bl.EntityPos = v.Value, posOf(v)
			}
		case "pattern":
			if isScalar(v) {
				bl.PatternPos = posOf(v)
				bl.Pattern = b.regex(v)
			}
		case "retry":
			if isScalar(v) {
				bl.Retry = b.template(v)
			}
		case "memory":
			each(v, func(k, v *yaml.Node) {
				a := &Assign{Key: k.Value, Pos: posOf(k)}
				if isScalar(v) && !isNull(v) {
					a.Value = b.exprs.expr(v.Value, b.li.scalarPos(v), false)
				} else if v != nil && !isScalar(v) {
					return // wrong shape: schema reports it
				}
				bl.Set = append(bl.Set, a)
			})
		case "queue":
			bl.QueuePos = posOf(v)
			if isScalar(v) && !isNull(v) {
				bl.Queue = b.template(v)
			}
		case "resume":
			bl.ResumePos = posOf(k)
			_ = v.Decode(&bl.Resume)
		case "onError":
			bl.OnError = b.ref(v)
		case "flow":
			bl.TargetFlow, bl.flowSet = b.ref(v), true
		case "carry":
			bl.Carry, bl.CarryPos = b.strings(v), scalarPositions(v)
		case "next":
			nextKey = k
			bl.Next = b.ref(v)
		case "outputs":
			outputsKey, bl.OutputsPos = k, posOf(k)
			if v.Kind != yaml.SequenceNode {
				return
			}
			for _, c := range v.Content {
				if c = deref(c); c != nil && c.Kind == yaml.MappingNode {
					bl.Outputs = append(bl.Outputs, b.output(c))
				}
			}
		case "commands":
			each(v, func(k, v *yaml.Node) { bl.Commands = append(bl.Commands, b.command(k, v)) })
		}
	})
	return bl
}

// aBlockType is a block type with its article: a say, an end.
func aBlockType(t BlockType) string {
	if strings.ContainsRune("aeiou", rune(t[0])) {
		return "an " + string(t)
	}
	return "a " + string(t)
}

// checkBlockFields reports fields that do not apply to the block's type,
// from the flow schema's per-type field lists.
func (b *builder) checkBlockFields(bl *Block, keys []*yaml.Node, index int) {
	if bl.Type == "" {
		return
	}
	allowed := schemas.FlowBlockFields()[string(bl.Type)]
	for _, k := range keys {
		owners, known := fieldOwners()[k.Value]
		if !known || slices.Contains(allowed, k.Value) {
			continue // unknown everywhere: the schema reports it
		}
		b.p.add(RuleSchema, posOf(k), "flows.%s.blocks[%d]%s.%s: field %q does not apply to %s block (it belongs to %s blocks)", bl.Flow.Name, index, idSuffix(bl.ID), k.Value, k.Value, aBlockType(bl.Type), owners)
	}
}

func (b *builder) output(n *yaml.Node) *Output {
	o := &Output{Pos: posOf(n)}
	each(n, func(k, v *yaml.Node) {
		switch k.Value {
		case "when":
			if isScalar(v) && !isNull(v) {
				o.When = b.exprs.expr(v.Value, b.li.scalarPos(v), true)
			}
		case "next":
			if r := b.ref(v); r != nil {
				o.Next, o.nextSet = *r, true
			}
		}
	})
	if o.Next.Pos.Line == 0 {
		o.Next.Pos = o.Pos
	}
	return o
}

func (b *builder) command(k, v *yaml.Node) *Command {
	c := &Command{Name: k.Value, Pos: posOf(k), ValuePos: posOf(v), node: v}
	c.Value = b.value(v, 0)
	if c.Name == CmdSetExternalSessionAttributes && v != nil && v.Kind == yaml.MappingNode {
		each(v, func(k, v *yaml.Node) {
			if isScalar(v) && !isNull(v) {
				c.Attributes = append(c.Attributes, &Attribute{Key: k.Value, Pos: posOf(k), Value: b.template(v)})
			}
		})
	}
	return c
}

// value decodes a command value: strings become templates.
func (b *builder) value(n *yaml.Node, depth int) any {
	if n == nil || depth > schemas.MaxDepth {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		each(n, func(k, v *yaml.Node) { m[k.Value] = b.value(v, depth+1) })
		return m
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			l = append(l, b.value(deref(c), depth+1))
		}
		return l
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str":
			return b.template(n)
		case "!!null":
			return nil
		}
		var v any
		if n.Decode(&v) == nil {
			return v
		}
		return n.Value
	}
	return nil
}
