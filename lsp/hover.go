package lsp

import (
	"fmt"
	"strings"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/internal/words"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// hover explains a block id (its type and text), a flow name, a queue
// (its division and whether the OAuth client may use it) or a rule id.
func (s *Server) hover(_ *glsp.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	d, an := s.doc(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	off := an.text.offset(p.Position)
	if o, ok := at(an.occurrences(), off); ok {
		var md string
		switch o.kind {
		case symBlock:
			md = blockHover(an.project.Flow(o.flow).Block(o.name), o.flow)
		case symFlow:
			md = flowHover(an.project.Flow(o.name))
		case symQueue:
			md = queueHover(an, o.name)
		}
		if md != "" {
			r := an.text.span(o.tok.from, o.tok.to)
			return &protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: md}, Range: &r}, nil
		}
	}
	from, to := wordAt(an.text, off)
	if r := flow.LookupRule(an.text.s[from:to]); r != nil {
		rng := an.text.span(from, to)
		return &protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: ruleHover(r)}, Range: &rng}, nil
	}
	return nil, nil
}

func blockHover(b *flow.Block, flowName string) string {
	if b == nil {
		return ""
	}
	typ := string(b.Type)
	if typ == "" {
		typ = "block of unknown type"
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "**%s** `%s` in flow `%s` (line %d)", typ, b.ID, flowName, b.IDPos.Line)
	for _, t := range b.Text {
		fmt.Fprintf(&sb, "\n\n> %s", strings.ReplaceAll(t.Source, "\n", "\n> "))
	}
	switch b.Type {
	case flow.TypeRedirect:
		if b.Queue != nil {
			fmt.Fprintf(&sb, "\n\nhands over to queue `%s`", b.Queue.Source)
		}
	case flow.TypeTransfer:
		if b.TargetFlow != nil {
			fmt.Fprintf(&sb, "\n\ncontinues in flow `%s`", b.TargetFlow.Name)
		}
	}
	return sb.String()
}

func flowHover(f *flow.Flow) string {
	if f == nil {
		return ""
	}
	return fmt.Sprintf("**flow** `%s`: %s, starts at `%s`", f.Name, words.Plural(len(f.Blocks), "block"), f.Start)
}

// queueHover says what the org knows of a queue name, as validate judges it.
func queueHover(an *analysis, name string) string {
	if an.st == nil || an.st.queues == nil || an.st.queues.facts == nil {
		return fmt.Sprintf("**queue** `%s`\n\nNo org file in the project config (flowctl.yaml `org:`): the queue is not checked.", name)
	}
	f := an.st.queues.facts
	v := genesys.Resolve(f, []string{name}).Verdicts[name]
	what := v.Explain(name, fmt.Sprintf("OAuth client %q", f.Client.Name))
	return fmt.Sprintf("**queue** `%s`\n\n%s.", name, what)
}

func ruleHover(r *flow.Rule) string {
	var notes []string
	notes = append(notes, string(r.Severity))
	if r.Optional {
		notes = append(notes, "optional: enable it with `enable:` in flowctl.yaml or `--enable`")
	}
	if r.Queue {
		notes = append(notes, "runs with an org file or online")
	}
	return fmt.Sprintf("**rule** `%s` (%s)\n\nFires when %s.", r.ID, strings.Join(notes, "; "), r.Summary)
}
