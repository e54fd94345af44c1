package flow

import "strings"

var ruleExprSyntax = &Rule{
	ID: RuleExprSyntax, Severity: SeverityError,
	Summary: "an expression or {...} interpolation does not compile",
	check: func(ps *pass) {
		ps.blocks(func(b *Block) {
			for _, e := range b.exprs() {
				if err := e.Err(); err != nil && !err.uncompiled {
					ps.report(err.Pos, "expression %q does not compile: %s", shorten(e.Source), err.Message)
				}
			}
			for _, t := range b.templates() {
				if err := t.Err(); err != nil && !err.uncompiled {
					ps.report(err.Pos, "text %q does not compile: %s", shorten(t.Source), err.Message)
				}
			}
		})
	},
}

// exprs returns the block's conditions and memory assignments.
func (b *Block) exprs() []*Expr {
	var out []*Expr
	for _, a := range b.Set {
		if a.Value != nil {
			out = append(out, a.Value)
		}
	}
	for _, o := range b.Outputs {
		if o.When != nil {
			out = append(out, o.When)
		}
	}
	return out
}

// templates returns every text of the block that may interpolate.
func (b *Block) templates() []*Template {
	out := make([]*Template, 0, len(b.Text)+2)
	out = append(out, b.Text...)
	out = append(out, b.QuickReplies...)
	out = append(out, b.Reprompt...)
	if b.Retry != nil {
		out = append(out, b.Retry)
	}
	if b.Queue != nil {
		out = append(out, b.Queue)
	}
	for _, c := range b.Commands {
		out = appendTemplates(out, c.Value)
	}
	return out
}

func appendTemplates(out []*Template, v any) []*Template {
	switch x := v.(type) {
	case *Template:
		out = append(out, x)
	case map[string]any:
		for _, k := range sortedKeys(x) {
			out = appendTemplates(out, x[k])
		}
	case []any:
		for _, e := range x {
			out = appendTemplates(out, e)
		}
	}
	return out
}

func shorten(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}
