package simulate

import (
	"fmt"
	"regexp"

	"gopkg.in/yaml.v3"
)

// parseStep decodes a step the schema accepted.
func parseStep(n *yaml.Node) (Step, *Problem) {
	kv := pairs(n)
	if len(kv) != 1 {
		return Step{}, &Problem{posOf(n), "a step has exactly one of " + stepKinds}
	}
	k, v := kv[0][0], kv[0][1]
	st := Step{Pos: posOf(k), Kind: StepKind(k.Value)}
	bad := func(at *yaml.Node, format string, a ...any) (Step, *Problem) {
		return st, &Problem{posOf(at), fmt.Sprintf(format, a...)}
	}
	switch st.Kind {
	case StepBot, StepError:
		st.Match, st.Text = MatchExact, v.Value
		if v.Kind == yaml.MappingNode {
			st.Match = MatchAny
			for _, kv := range pairs(v) {
				mk, mv := kv[0], kv[1]
				if mk.Value == "quickReplies" {
					st.CheckReplies = true
					for _, q := range mv.Content {
						st.QuickReplies = append(st.QuickReplies, deref(q).Value)
					}
					continue
				}
				if st.Match != MatchAny {
					return bad(mk, "%s step matches its text one way: text, contains or matches, not %s and %s", st.Kind, matchKey(st.Match), mk.Value)
				}
				st.Match, st.Text = Match(mk.Value), mv.Value
				if mk.Value == "text" {
					st.Match = MatchExact
				}
				if st.Match == MatchRegexp {
					re, err := regexp.Compile(mv.Value)
					if err != nil {
						return bad(mv, "bad regular expression %q: %v", mv.Value, regexpError(err))
					}
					st.Re = re
				}
			}
		}
	case StepUser:
		st.Text = v.Value
	case StepHandover:
		st.Queue, st.QueuePos = v.Value, posOf(v)
		for _, kv := range pairs(v) {
			switch kv[0].Value {
			case "queue":
				st.Queue, st.QueuePos = kv[1].Value, posOf(kv[1])
			case "attributes":
				for _, a := range pairs(kv[1]) {
					st.Attributes = append(st.Attributes, Attribute{Key: a[0].Value, Value: a[1].Value})
					st.AttributePos = append(st.AttributePos, posOf(a[0]))
				}
			case "failed":
				st.Failed = kv[1].Value == "true"
			}
		}
		if st.Failed && st.Attributes != nil {
			return bad(v, "a failed handover carries no attributes: drop attributes, or failed")
		}
	case StepAgent:
		if v.Kind == yaml.ScalarNode {
			st.Agent = AgentEvent{Action: AgentAction(v.Value)}
			break
		}
		m := pairs(v)
		mk, mv := m[0][0], m[0][1]
		switch mk.Value {
		case "say":
			st.Agent = AgentEvent{Action: AgentSay, Text: mv.Value}
		case "transfer":
			st.Agent = AgentEvent{Action: AgentTransfer, Queue: mv.Value}
		case "transferToAgent":
			st.Agent = AgentEvent{Action: AgentTransferToAgent, Agent: mv.Value}
		}
	case StepWait:
		d, err := ParseWait(v.Value)
		if err != nil {
			return bad(v, "wait: %v", err)
		}
		st.Wait = d
	case StepMemory:
		for _, kv := range pairs(v) {
			var val any
			if err := kv[1].Decode(&val); err != nil {
				return bad(kv[1], "memory.%s: %v", kv[0].Value, err)
			}
			st.Memory = append(st.Memory, MemoryValue{Pos: posOf(kv[0]), Key: kv[0].Value, Value: normalize(val)})
		}
	case StepClosed:
		st.Reason = v.Value
	}
	return st, nil
}

// matchKey is how a test file writes a match.
func matchKey(m Match) string {
	if m == MatchExact {
		return "text"
	}
	return string(m)
}
