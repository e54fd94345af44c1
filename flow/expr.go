package flow

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// Env is what expressions see: memory, nlu, input and session.
type Env struct {
	Memory  map[string]any `expr:"memory"`
	NLU     NLU            `expr:"nlu"`
	Input   string         `expr:"input"`
	Session SessionInfo    `expr:"session"`

	meter *meter // the running evaluation's budget (see run)
}

// NLU is the result of intent recognition for the last user message.
type NLU struct {
	Intent string  `expr:"intent"`
	Score  float64 `expr:"score"`
}

// SessionInfo identifies the running session.
type SessionInfo struct {
	ID      string `expr:"id"`
	Channel string `expr:"channel"`
}

// Expr is an expr-lang expression at a position in a file, parsed and
// type-checked when the file is loaded and compiled when it is first
// evaluated (validate never evaluates, so never compiles).
type Expr struct {
	Source string
	Pos    Pos
	err    *ExprError
	info   *compiled // nil when err is set
	at     posFunc   // offsets in Source to file positions
}

// ExprError is a compile error with its position in the file.
type ExprError struct {
	Pos     Pos
	Message string
	cause   error // expr-lang's error behind a run-time error (see Unwrap)
	// uncompiled: past MaxExprs; reported once for the file, not here.
	uncompiled bool
}

func (e *ExprError) Error() string { return e.Message }

// Err returns the compile error, or nil when the expression compiles.
func (e *Expr) Err() *ExprError { return e.err }

// Eval runs the expression within the run-time bounds (MaxEvalSteps,
// MaxEvalBytes, MaxValueBytes, MaxEvalElements); exceeding one is a
// *BudgetError. An expression that did not compile returns its compile
// error.
func (e *Expr) Eval(env *Env) (any, error) {
	if e.err != nil {
		return nil, e.err
	}
	program, err := e.info.compile()
	if err != nil {
		return nil, exprErr(err, e.at)
	}
	v, err := run(program, env)
	return v, runError(err, e.at)
}

// Bool runs the expression and reports whether the result is true. Only the
// boolean true is true.
func (e *Expr) Bool(env *Env) (bool, error) {
	v, err := e.Eval(env)
	if err != nil {
		return false, err
	}
	b, _ := v.(bool)
	return b, nil
}

// Template is a text with {expr} interpolations; {{ writes a literal {.
type Template struct {
	Source string
	Pos    Pos
	parts  []templatePart
	err    *ExprError
}

type templatePart struct {
	text string // literal text when expr is nil
	expr *Expr
}

// Static reports whether the template has no interpolation, so its rendering
// is known before run time.
func (t *Template) Static() bool {
	for _, p := range t.parts {
		if p.expr != nil {
			return false
		}
	}
	return t.err == nil
}

// Exprs returns the template's interpolated expressions.
func (t *Template) Exprs() []*Expr {
	var out []*Expr
	for _, p := range t.parts {
		if p.expr != nil {
			out = append(out, p.expr)
		}
	}
	return out
}

// Err returns the first compile error of the template, or nil.
func (t *Template) Err() *ExprError {
	if t.err != nil {
		return t.err
	}
	for _, p := range t.parts {
		if p.expr != nil && p.expr.err != nil {
			return p.expr.err
		}
	}
	return nil
}

// Render evaluates the interpolations and returns the text. nil renders as
// the empty string; numbers without trailing zeros.
func (t *Template) Render(env *Env) (string, error) {
	var first error
	s, err := t.RenderLenient(env, func(e *Expr, err error) {
		if first == nil {
			first = fmt.Errorf("%s: %w", e.Source, err)
		}
	})
	if err != nil {
		return "", err
	}
	if first != nil {
		return "", first
	}
	return s, nil
}

// RenderLenient renders the template like Render, but an interpolation that
// fails renders as empty text and is passed to fail, so the rest of the text
// still goes out; so does one that would take what interpolations add past
// MaxValueBytes. The error is for a template that did not compile.
func (t *Template) RenderLenient(env *Env, fail func(*Expr, error)) (string, error) {
	if err := t.Err(); err != nil {
		return "", err
	}
	var sb strings.Builder
	added := 0 // by interpolations, at most MaxValueBytes
	for _, p := range t.parts {
		if p.expr == nil {
			sb.WriteString(p.text)
			continue
		}
		v, err := p.expr.Eval(env)
		if err != nil {
			fail(p.expr, err)
			continue
		}
		s := FormatValue(v)
		if added += len(s); added > MaxValueBytes {
			fail(p.expr, errValue)
			continue
		}
		sb.WriteString(s)
	}
	return sb.String(), nil
}

// FormatValue formats an expression result for text: nil is "", floats
// drop trailing zeros (no exponent), lists and maps are JSON (formatJSON).
func FormatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	default:
		return formatOther(x)
	}
}

// exprConfigs pool compiler configurations for values [0] and conditions
// [1]. expr.Compile builds a new configuration per call, which costs as much
// as compiling a small expression; a configuration is reused instead, by one
// compile at a time (the checker caches type facts in it). There is no
// optimizer: it would fold "x in [...]" into constants the rules want to
// see, and flows' expressions are too small to gain from it.
var exprConfigs = [2]sync.Pool{
	{New: func() any { return newExprConfig(false) }},
	{New: func() any { return newExprConfig(true) }},
}

func newExprConfig(asBool bool) *conf.Config {
	c := conf.CreateNew()
	expr.Env(Env{})(c)
	expr.Optimize(false)(c)
	if asBool {
		expr.AsBool()(c)
	}
	for name := range c.Disabled {
		delete(c.Builtins, name)
	}
	addMeterFunctions(c)
	c.Check()
	return c
}

// posFunc maps a rune offset inside a scalar's value to a file position.
type posFunc func(offset int) Pos

// checked shares what is known of identical expressions, within a file
// and across the files of a run: flows repeat conditions such as
// nlu.intent == "agent" and interpolations such as {memory.name} many
// times. The entries are immutable but for their program, compiled once
// on first use, so sharing is safe. The cache is emptied when it holds
// maxChecked entries: its memory stays bounded however many files a run
// reads.
var checked struct {
	sync.Mutex
	m map[exprKey]*compiled
}

const maxChecked = 8192

type exprKey struct {
	src    string
	asBool bool
}

// compiled is one expression source parsed and type-checked, with what
// the rules want to know about it; its program is compiled on first use.
type compiled struct {
	key     exprKey
	err     error     // the source does not compile (too large, syntax, types)
	intents []literal // string literals compared with nlu.intent
	memory  []literal // memory keys read, where memory.KEY starts
	names   []string  // the names it reads (input, nlu, ...)

	once    sync.Once
	program *vm.Program
	progErr error
}

func configPool(asBool bool) *sync.Pool {
	if asBool {
		return &exprConfigs[1]
	}
	return &exprConfigs[0]
}

// check parses and type-checks src, or returns the shared outcome of an
// identical source.
func check(src string, asBool bool) *compiled {
	key := exprKey{src, asBool}
	checked.Lock()
	c, ok := checked.m[key]
	checked.Unlock()
	if ok {
		return c
	}
	c = &compiled{key: key}
	if err := checkSource(src); err != nil {
		c.err = err
		return c
	}
	pool := configPool(asBool)
	cfg := pool.Get().(*conf.Config)
	tree, err := checker.ParseCheck(src, cfg)
	pool.Put(cfg)
	if err != nil {
		c.err = err
	} else {
		c.intents, c.memory, c.names = inspect(tree.Node)
	}
	checked.Lock()
	if len(checked.m) >= maxChecked || checked.m == nil {
		checked.m = make(map[exprKey]*compiled, 256)
	}
	checked.m[key] = c
	checked.Unlock()
	return c
}

// compile returns the expression's program, compiling it on first use: the
// source is parsed and checked again (a checked tree is larger than the
// source), its tree rewritten to meter evaluation (meterTree), and
// compiled. Type checking passed, so it fails only on an expr-lang bug.
func (c *compiled) compile() (*vm.Program, error) {
	c.once.Do(func() {
		pool := configPool(c.key.asBool)
		cfg := pool.Get().(*conf.Config)
		defer pool.Put(cfg)
		tree, err := checker.ParseCheck(c.key.src, cfg)
		if err == nil {
			meterTree(&tree.Node)
			c.program, err = compiler.Compile(tree, cfg)
		}
		c.progErr = err
	})
	return c.program, c.progErr
}

// compileExpr checks src now; at maps offsets within src to file
// positions.
func compileExpr(src string, at posFunc, asBool bool) *Expr {
	return (*batch)(nil).expr(src, at, asBool)
}

// MaxExprs bounds the expressions of one file (conditions, memory values
// and {...} together): each takes tens of microseconds to check.
const MaxExprs = 100_000

// batch gathers a file's expressions so that they are checked together,
// on every core, once the file is read, or, for a large file (see pipe),
// while it is read. A nil *batch checks at once.
type batch struct {
	items []batchItem
	n     int
	over  *Expr     // the first expression past MaxExprs
	pipe  *exprPipe // nil: checked in run
}

// exprPipe checks a large file's distinct expressions on another core
// while the builder reads on: the two take about as long.
type exprPipe struct {
	work   chan exprKey
	seen   map[exprKey]bool
	done   chan pipeResult
	closed bool
}

type pipeResult struct {
	checked  map[exprKey]*compiled
	panicked any // a panic of the checker, raised again in run
}

// startPipe makes the batch check expressions as they come, on another
// goroutine (with more than one core).
func (bt *batch) startPipe() {
	if runtime.GOMAXPROCS(0) < 2 {
		return
	}
	p := &exprPipe{work: make(chan exprKey, 4096), seen: map[exprKey]bool{}, done: make(chan pipeResult, 1)}
	go func() {
		res := map[exprKey]*compiled{}
		defer func() {
			v := recover()
			for range p.work { // let the builder finish
			}
			p.done <- pipeResult{res, v}
		}()
		for k := range p.work {
			res[k] = check(k.src, k.asBool)
		}
	}()
	bt.pipe = p
}

// stopPipe ends the pipe's goroutine when the builder stops without run
// (a panic).
func (bt *batch) stopPipe() {
	if bt.pipe != nil && !bt.pipe.closed {
		bt.pipe.closed = true
		close(bt.pipe.work)
	}
}

type batchItem struct {
	e      *Expr
	asBool bool
}

// expr returns the expression for src; with a batch it is complete only
// after run.
func (bt *batch) expr(src string, at posFunc, asBool bool) *Expr {
	e := &Expr{Source: src, Pos: at(0), at: at}
	if strings.TrimSpace(src) == "" {
		e.err = &ExprError{Pos: e.Pos, Message: "empty expression"}
		return e
	}
	if bt == nil {
		e.finish(check(src, asBool))
		return e
	}
	if bt.n++; bt.n > MaxExprs {
		// Not compiled; the file gets one finding (see tooManyExprs).
		e.err = &ExprError{Pos: e.Pos, Message: fmt.Sprintf("the file has more than %d expressions", MaxExprs), uncompiled: true}
		if bt.over == nil {
			bt.over = e
		}
		return e
	}
	bt.items = append(bt.items, batchItem{e, asBool})
	if p := bt.pipe; p != nil {
		if k := (exprKey{src, asBool}); !p.seen[k] {
			p.seen[k] = true
			p.work <- k
		}
	}
	return e
}

// run checks the distinct expressions of the batch concurrently (or
// collects what the pipe checked) and completes every expression.
func (bt *batch) run() {
	var results map[exprKey]*compiled
	if p := bt.pipe; p != nil {
		bt.stopPipe()
		r := <-p.done
		bt.pipe = nil
		if r.panicked != nil {
			panic(r.panicked)
		}
		results = r.checked
	} else {
		results = make(map[exprKey]*compiled, len(bt.items))
		var keys []exprKey
		for _, it := range bt.items {
			k := exprKey{it.e.Source, it.asBool}
			if _, ok := results[k]; !ok {
				results[k] = nil
				keys = append(keys, k)
			}
		}
		out := make([]*compiled, len(keys))
		check1 := func(i int) { out[i] = check(keys[i].src, keys[i].asBool) }
		if len(keys) < 64 {
			for i := range keys {
				check1(i)
			}
		} else {
			parallel(len(keys), check1)
		}
		for i, k := range keys {
			results[k] = out[i]
		}
	}
	for _, it := range bt.items {
		it.e.finish(results[exprKey{it.e.Source, it.asBool}])
	}
	bt.items = nil
}

// finish completes e with its checked source or error.
func (e *Expr) finish(c *compiled) {
	if c.err != nil {
		e.err = exprErr(c.err, e.at)
		return
	}
	e.info = c
}

func exprErr(err error, at posFunc) *ExprError {
	var fe *file.Error
	if errors.As(err, &fe) {
		msg := fe.Message
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return &ExprError{Pos: at(fe.From), Message: exprMessage(msg)}
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return &ExprError{Pos: at(0), Message: exprMessage(msg)}
}

// parseTemplate splits src into literal text and {expr} parts and compiles
// each expression. Braces inside an expression's strings and nested braces
// (map literals) are honoured.
func parseTemplate(src string, at posFunc, bt *batch) *Template {
	t := &Template{Source: src, Pos: at(0)}
	if !strings.ContainsRune(src, '{') {
		t.parts = []templatePart{{text: src}}
		return t
	}
	runes := []rune(src)
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.parts = append(t.parts, templatePart{text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		if r != '{' {
			lit.WriteRune(r)
			continue
		}
		if i+1 < len(runes) && runes[i+1] == '{' {
			lit.WriteRune('{')
			i++
			continue
		}
		end := matchBrace(runes, i)
		if end < 0 {
			t.err = &ExprError{Pos: at(i), Message: "unclosed { in text: write {{ for a literal {"}
			return t
		}
		flush()
		start := i + 1
		inner := string(runes[start:end])
		t.parts = append(t.parts, templatePart{expr: bt.expr(inner, func(off int) Pos { return at(start + off) }, false)})
		i = end
	}
	flush()
	return t
}

// matchBrace returns the index of the } closing the { at open, or -1.
func matchBrace(rs []rune, open int) int {
	depth := 0
	var quote rune
	for i := open; i < len(rs); i++ {
		r := rs[i]
		if quote != 0 {
			switch r {
			case '\\':
				i++
			case quote:
				quote = 0
			}
			continue
		}
		switch r {
		case '"', '\'', '`':
			quote = r
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// StaticText returns the template's text when it has no interpolation.
func (t *Template) StaticText() (string, bool) {
	if !t.Static() {
		return "", false
	}
	var sb strings.Builder
	for _, p := range t.parts {
		sb.WriteString(p.text)
	}
	return sb.String(), true
}
