package simulate

import (
	"fmt"

	"github.com/flowctl/flowctl/flow"
)

// userSays takes a user message: to Genesys while queued or with an agent,
// otherwise to the waiting bot block.
func (m *machine) userSays(text string) error {
	switch m.owner {
	case OwnerClosed:
		return fmt.Errorf("%w (%s)", ErrClosed, m.reason)
	case OwnerQueued:
		m.emit(Event{Kind: EventUser, Text: text, ToGenesys: true, Queue: m.queue})
		m.pending = append(m.pending, text)
		return nil
	case OwnerAgent:
		m.emit(Event{Kind: EventUser, Text: text, ToGenesys: true, Queue: m.queue})
		m.emit(Event{Kind: EventDelivered, Text: text, Queue: m.queue})
		return nil
	}
	if !m.waiting {
		return fmt.Errorf("the bot is not waiting for a message")
	}
	b := m.block
	m.emit(Event{Kind: EventUser, Text: text, Block: b.Key()})
	m.waiting = false
	m.input = text
	m.intent = m.nlu.Recognise(text)
	switch b.Type {
	case flow.TypeAsk:
		v, ok := Entity(b, text)
		if !ok {
			if b.Retry != nil {
				m.send(b.Retry, nil)
			} else {
				m.sendAll(b.Text, nil)
			}
			m.wait(b)
			return nil
		}
		if b.Variable != "" {
			m.setMemory(b.Variable, v)
		}
		m.run(m.follow(b))
	default:
		if b.Next == nil && len(b.Outputs) == 0 {
			m.close(flow.ReasonEndOfFlow, b)
			return nil
		}
		next, ok := m.pick(b)
		if !ok {
			m.repromptAt(b)
			return nil
		}
		m.run(next)
	}
	return nil
}

// repromptAt sends the next reprompt text (the last one again when all were
// used; the block's text when it has none) and waits again.
func (m *machine) repromptAt(b *flow.Block) {
	if len(b.Reprompt) > 0 {
		m.send(b.Reprompt[min(m.reprompt, len(b.Reprompt)-1)], b.QuickReplies)
	} else {
		m.sendAll(b.Text, b.QuickReplies)
	}
	m.reprompt++
	m.wait(b)
}

// inactivity closes the session when the bot owns it and waits for input.
func (m *machine) inactivity() {
	if m.owner == OwnerBot && m.waiting {
		m.close(flow.ReasonInactivity, m.block)
	}
}
