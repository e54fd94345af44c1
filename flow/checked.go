package flow

import (
	"slices"
	"strings"
)

// Checked is what is left of a checked file once its model is dropped:
// its findings as they are without a queue report, and its redirects, from
// which the queue findings come once the queue names of every file are
// resolved. flowctl validate checks each file in the task that loads it and
// keeps only this, so its memory does not grow with the number of files.
type Checked struct {
	File string

	findings  []Finding // sorted, not yet capped per rule
	redirects []redirectUse
	lines     map[int]string // the source lines findings can be on
}

// redirectUse is a redirect's queue, for the queue checks.
type redirectUse struct {
	pos    Pos
	name   string // the static name, or the template's source
	static bool   // a static, non-blank name (the org is asked about it)
}

// Check runs every rule but the queue rules on a loaded project (as
// Validate does without a queue report) and keeps what Findings needs.
func Check(p *Project, opts Options) *Checked {
	opts.Queues = nil
	c := &Checked{File: p.File, findings: SortFindings(findings(p, opts)), redirects: redirectUses(p)}
	li := p.lines
	if li == nil && p.Source != nil {
		li = newLineIndex(p.Source)
	}
	if li != nil {
		c.lines = map[int]string{}
		for _, f := range c.findings {
			c.lines[f.Line] = li.line(f.Line)
		}
		for _, r := range c.redirects {
			c.lines[r.pos.Line] = li.line(r.pos.Line)
		}
	}
	return c
}

// Trim drops what will not be needed: the redirects unless Findings is to
// get a queue report (queues), the source lines of the redirects then,
// and every source line unless snippets are shown (lines). A run that
// checks thousands of files keeps next to nothing of a file without
// findings.
func (c *Checked) Trim(queues, lines bool) {
	if !queues {
		c.redirects = nil
	}
	if !lines {
		c.lines = nil
		return
	}
	if !queues {
		kept := make(map[int]string, len(c.findings))
		for _, f := range c.findings {
			kept[f.Line] = c.lines[f.Line]
		}
		c.lines = kept
	}
}

// SourceLines returns the text of the source lines that findings of the
// file can be on (SourceLine's), by line number, for snippets: the file's
// bytes are not kept. The map is not to be changed.
func (c *Checked) SourceLines() map[int]string { return c.lines }

// redirectUses lists the redirects whose queue is not blank.
func redirectUses(p *Project) []redirectUse {
	var out []redirectUse
	for _, f := range p.Flows {
		for _, b := range f.Blocks {
			if b.Type != TypeRedirect || b.Queue == nil || strings.TrimSpace(b.Queue.Source) == "" {
				continue
			}
			name, static := redirectQueue(b)
			if !static {
				name = b.Queue.Source
			}
			out = append(out, redirectUse{pos: b.QueuePos, name: name, static: static})
		}
	}
	return out
}

// CheckedQueueNames returns the distinct static queue names of the files'
// redirects, sorted: what a queue resolver must look up (as QueueNames
// does for projects).
func CheckedQueueNames(cs ...*Checked) []string {
	seen := map[string]bool{}
	for _, c := range cs {
		for _, r := range c.redirects {
			if r.static {
				seen[r.name] = true
			}
		}
	}
	return sortedKeys(seen)
}

// Findings returns the file's findings given the queue report (nil when
// the queue checks are skipped or failed): exactly what CheckProject
// returns for the project.
func (c *Checked) Findings(report *QueueReport) []Finding {
	fs := slices.Clone(c.findings)
	if report != nil {
		// The white-space rule defers to the org: a name it settles is no
		// finding (see ruleRedirectQueueWhitespace).
		settled := map[Pos]bool{}
		for _, r := range c.redirects {
			if _, ok := report.Verdicts[r.name]; ok && r.static {
				settled[reportedAt(r.pos)] = true
			}
		}
		fs = slices.DeleteFunc(fs, func(f Finding) bool {
			return f.Rule == RuleRedirectQueueWhitespace && settled[Pos{f.Line, f.Column}]
		})
	}
	fs = capFindings(fs)
	if report == nil {
		return fs
	}
	return SortFindings(append(fs, queueFindings(c.File, c.redirects, report)...))
}
