package flow

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// commandShapes maps each known command to the check of its value; the
// string describes the expected shape for messages.
var commandShapes = map[string]struct {
	want string
	ok   func(*yaml.Node) bool
}{
	CmdSetExternalSessionAttributes: {"a flat map of attribute names to strings", isMapping},
	CmdBlockingOperation:            {"true/false or an object", func(n *yaml.Node) bool { return isMapping(n) || (isScalar(n) && n.ShortTag() == "!!bool") }},
	CmdCarousel:                     {"an object", isMapping},
	CmdEmbedWebsite:                 {"an object", isMapping},
	CmdSetAuthor:                    {"a string", isString},
	CmdSetVerifiedAuthor:            {"a string", isString},
}

func isMapping(n *yaml.Node) bool { return n != nil && n.Kind == yaml.MappingNode }

// KnownCommands lists the command names flowctl knows, sorted.
func KnownCommands() []string {
	return sortedKeys(commandShapes)
}

var ruleUnknownCommand = &Rule{
	ID: RuleUnknownCommand, Severity: SeverityWarning,
	Summary: "a command name flowctl does not know",
	check: func(ps *pass) {
		ps.blocks(func(b *Block) {
			for _, c := range b.Commands {
				if _, ok := commandShapes[c.Name]; !ok {
					ps.report(c.Pos, "unknown command %q%s (known: %s)", c.Name, ps.suggest(c.Name, KnownCommands()), strings.Join(KnownCommands(), ", "))
				}
			}
		})
	},
}

var ruleCommandValue = &Rule{
	ID: RuleCommandValue, Severity: SeverityError,
	Summary: "a known command with a value of the wrong shape",
	check: func(ps *pass) {
		ps.blocks(func(b *Block) {
			for _, c := range b.Commands {
				shape, ok := commandShapes[c.Name]
				if !ok {
					continue
				}
				n := deref(c.node)
				if !shape.ok(n) {
					ps.report(c.ValuePos, "%s takes %s, got %s", c.Name, shape.want, describeNode(n))
					continue
				}
				if c.Name == CmdSetExternalSessionAttributes {
					each(n, func(k, v *yaml.Node) {
						switch {
						case strings.TrimSpace(k.Value) == "":
							ps.report(posOf(k), "%s attribute names must not be blank", c.Name)
						case !isScalar(v) || isNull(v):
							ps.report(posOf(v), "%s attribute %q must be a string, got %s: Genesys custom attributes are flat strings", c.Name, k.Value, describeNode(v))
						}
					})
				}
			}
		})
	},
}

func describeNode(n *yaml.Node) string {
	switch {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a map"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case isNull(n):
		return "null"
	case n.ShortTag() == "!!str":
		return "a string"
	case n.ShortTag() == "!!bool":
		return "a boolean"
	case n.ShortTag() == "!!int" || n.ShortTag() == "!!float":
		return "a number"
	}
	return "a " + strings.TrimPrefix(n.ShortTag(), "!!")
}
