package flow

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Rule ids (spec §3, plus flowctl's own).
const (
	RuleYAMLSyntax                = "yaml-syntax"
	RuleSchema                    = "schema"
	RuleFileSize                  = "file-size"
	RuleDuplicateID               = "duplicate-id"
	RuleUnknownNext               = "unknown-next"
	RuleUnreachableBlock          = "unreachable-block"
	RuleUnreachableFlow           = "unreachable-flow"
	RuleDefaultNotLast            = "default-not-last"
	RuleNoDefaultOutput           = "no-default-output"
	RuleSilentEnd                 = "silent-end"
	RuleQuickRepliesNoInput       = "quick-replies-no-input"
	RuleUnusedEdge                = "unused-edge"
	RuleBotLoop                   = "bot-loop"
	RuleExprSyntax                = "expr-syntax"
	RuleRegexSyntax               = "regex-syntax"
	RuleUnknownIntent             = "unknown-intent"
	RuleIntentEmptyTerm           = "intent-empty-term"
	RuleUnknownCommand            = "unknown-command"
	RuleCommandValue              = "command-value"
	RuleAskPattern                = "ask-pattern"
	RuleAskNoVariable             = "ask-no-variable"
	RuleAskNoText                 = "ask-no-text"
	RuleRedirectEmptyQueue        = "redirect-empty-queue"
	RuleRedirectQueueWhitespace   = "redirect-queue-whitespace"
	RuleRedirectResumeWithoutNext = "redirect-resume-without-next"
	RuleRedirectNextWithoutResume = "redirect-next-without-resume"
	RuleRedirectNoErrorPath       = "redirect-no-error-path"
	RuleRedirectDynamicQueue      = "redirect-dynamic-queue"
	RuleUndefinedMemory           = "undefined-memory"
	RuleQueueNotFound             = "queue-not-found"
	RuleQueueNameMismatch         = "queue-name-mismatch"
	RuleQueueDivisionNotPermitted = "queue-division-not-permitted"
	RuleMissingPermission         = "missing-permission"
)

// Rule describes one kind of finding. Rules are data: Rules lists them all,
// in one place, for validation, documentation and SARIF.
type Rule struct {
	ID       string
	Severity Severity
	// Summary says in one line when the rule fires.
	Summary string
	// Optional rules are heuristics that may fire on a flow that works as
	// intended; they run only when enabled (validate --enable RULE).
	Optional bool
	// Queue rules need an org (online or an org file); see QueueFindings.
	Queue bool
	// check runs the rule on a loaded project; nil for rules whose findings
	// are made while loading (yaml-syntax, ...) or from a queue report.
	// The schema rule has both: what JSON Schema cannot say (memory keys)
	// is checked here.
	check func(*pass)
}

// Rules is every rule flowctl knows, in documentation order.
var Rules = []*Rule{
	{ID: RuleYAMLSyntax, Severity: SeverityError, Summary: "the file is not valid YAML (or not UTF-8 text, or holds more than one document)"},
	{ID: RuleSchema, Severity: SeverityError, Summary: "unknown field, missing required field, wrong type or value", check: checkMemoryKeys},
	{ID: RuleFileSize, Severity: SeverityError, Summary: "the file is larger than flowctl reads (8 MiB)"},
	ruleDuplicateID,
	ruleUnknownNext,
	ruleUnreachableBlock,
	ruleUnreachableFlow,
	ruleDefaultNotLast,
	ruleNoDefaultOutput,
	ruleSilentEnd,
	ruleQuickRepliesNoInput,
	ruleUnusedEdge,
	ruleBotLoop,
	ruleExprSyntax,
	{ID: RuleRegexSyntax, Severity: SeverityError, Summary: "an intent pattern or ask pattern is not a valid Go regular expression"},
	ruleUnknownIntent,
	ruleIntentEmptyTerm,
	ruleUnknownCommand,
	ruleCommandValue,
	ruleAskPattern,
	ruleAskNoVariable,
	ruleAskNoText,
	ruleRedirectEmptyQueue,
	ruleRedirectQueueWhitespace,
	ruleRedirectResumeWithoutNext,
	ruleRedirectNextWithoutResume,
	ruleRedirectNoErrorPath,
	ruleRedirectDynamicQueue,
	ruleUndefinedMemory,
	{ID: RuleQueueNotFound, Severity: SeverityError, Queue: true, Summary: "no queue of that exact name exists or is visible to the OAuth client"},
	{ID: RuleQueueNameMismatch, Severity: SeverityError, Queue: true, Summary: "no exact match, but a queue differs only in case or white space"},
	{ID: RuleQueueDivisionNotPermitted, Severity: SeverityError, Queue: true, Summary: "the queue is in a division where the OAuth client's roles do not grant routing:queue:view"},
	{ID: RuleMissingPermission, Severity: SeverityError, Queue: true, Summary: "the OAuth client lacks a permission the handover needs"},
}

// LookupRule returns the rule with that id, or nil.
func LookupRule(id string) *Rule {
	for _, r := range Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func severityOf(rule string) Severity {
	if r := LookupRule(rule); r != nil {
		return r.Severity
	}
	return SeverityError
}

// Options tune Validate.
type Options struct {
	// Enable turns on optional (heuristic) rules by id.
	Enable []string
	// Queues is what the org says about the queue names, when queue checks
	// run (see QueueFindings; nil when they are skipped or failed). The
	// white-space rule defers to it: an exact name the org confirms is no
	// finding, and a near miss is the queue rule's one finding.
	Queues *QueueReport
}

// CheckEnable returns an error naming the first id in enable that is not an
// optional rule.
func CheckEnable(enable []string) error {
	for _, id := range enable {
		r := LookupRule(id)
		if r == nil {
			var all []string
			for _, r := range Rules {
				all = append(all, r.ID)
			}
			return fmt.Errorf("unknown rule %q%s (optional rules: %s)", id, suggest(id, all), optionalIDs())
		}
		if !r.Optional {
			return fmt.Errorf("rule %q always runs; --enable takes optional rules (%s)", id, optionalIDs())
		}
	}
	return nil
}

func optionalIDs() string {
	var ids []string
	for _, r := range Rules {
		if r.Optional {
			ids = append(ids, r.ID)
		}
	}
	return strings.Join(ids, ", ")
}

// Validate returns every finding of a loaded project except the queue rules,
// sorted by position.
func Validate(p *Project, opts Options) []Finding {
	return capFindings(SortFindings(findings(p, opts)))
}

// findings returns the findings of loading and of every rule that runs,
// in no order and not capped. The rules only read the model, so a large
// project has them run on every core.
func findings(p *Project, opts Options) []Finding {
	var run []*Rule
	for _, r := range Rules {
		if r.check != nil && (!r.Optional || slices.Contains(opts.Enable, r.ID)) {
			run = append(run, r)
		}
	}
	outs := make([][]Finding, len(run))
	each := func(i int) {
		run[i].check(&pass{p: p, rule: run[i], out: &outs[i], queues: opts.Queues})
	}
	if blockCount(p) < parallelRulesFrom {
		for i := range run {
			each(i)
		}
	} else {
		parallel(len(run), each)
	}
	out := slices.Clone(p.findings)
	for _, o := range outs {
		out = append(out, o...)
	}
	return out
}

// parallelRulesFrom is the number of blocks from which the rules run
// concurrently: for smaller projects the goroutines cost more than they
// save (and validate checks several files at once anyway).
var parallelRulesFrom = 2000

func blockCount(p *Project) int {
	n := 0
	for _, f := range p.Flows {
		n += len(f.Blocks)
	}
	return n
}

// parallel calls fn(0) to fn(n-1) on GOMAXPROCS goroutines and returns
// when all have returned. A panic in fn is raised again in the caller,
// where a recover (validate's, serve's) can catch it.
func parallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	var panicked atomic.Value
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			defer func() {
				if v := recover(); v != nil {
					panicked.CompareAndSwap(nil, panicValue{v})
				}
			}()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
	if v := panicked.Load(); v != nil {
		panic(v.(panicValue).v)
	}
}

// panicValue boxes a recovered value for atomic.Value (which wants one
// concrete type).
type panicValue struct{ v any }

// MaxFindingsPerRule bounds the findings of one rule in one file, so that
// a hostile file cannot make the report itself huge; the rest are counted
// in one more finding of the rule, where the first of them is.
const MaxFindingsPerRule = 1000

// capFindings keeps the first MaxFindingsPerRule findings of each rule of
// sorted findings.
func capFindings(fs []Finding) []Finding {
	n := map[string]int{}
	var more []Finding
	out := fs[:0]
	for _, f := range fs {
		if n[f.Rule]++; n[f.Rule] <= MaxFindingsPerRule {
			out = append(out, f)
		} else if n[f.Rule] == MaxFindingsPerRule+1 {
			more = append(more, f)
		}
	}
	if len(more) == 0 {
		return out
	}
	for _, f := range more {
		f.Message = fmt.Sprintf("%d more %s findings from here on are not shown (at most %d are)", n[f.Rule]-MaxFindingsPerRule, f.Rule, MaxFindingsPerRule)
		out = append(out, f)
	}
	return SortFindings(out)
}

// pass is one rule's run over a project.
type pass struct {
	p           *Project
	rule        *Rule
	out         *[]Finding
	queues      *QueueReport // Options.Queues
	suggestWork int          // names compared for suggestions (see suggest)
}

func (ps *pass) report(pos Pos, format string, a ...any) {
	ps.reportAs(ps.rule.Severity, pos, format, a...)
}

// reportAs reports a finding of the rule with another severity than the
// rule's: for a case the rule cannot decide alone (see
// redirect-queue-whitespace).
func (ps *pass) reportAs(sev Severity, pos Pos, format string, a ...any) {
	pos = reportedAt(pos)
	*ps.out = append(*ps.out, Finding{
		File: ps.p.File, Line: pos.Line, Column: pos.Col,
		Severity: sev, Rule: ps.rule.ID, Message: cleanMessage(fmt.Sprintf(format, a...)),
	})
}

// reportedAt is where a finding at pos is reported: the zero Pos (unknown)
// at 1:1.
func reportedAt(pos Pos) Pos {
	if pos.Line == 0 {
		return Pos{1, 1}
	}
	return pos
}

// blocks calls fn for every block of every flow.
func (ps *pass) blocks(fn func(*Block)) {
	for _, f := range ps.p.Flows {
		for _, b := range f.Blocks {
			fn(b)
		}
	}
}
