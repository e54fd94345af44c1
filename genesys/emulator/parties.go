package emulator

import (
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/org"
)

// The participants of an emulated message conversation, as
// GET /api/v2/conversations/messages/{id} shows them (MessageMediaParticipant)
// and, per media, GET /api/v2/conversations/{id} (Participant).

// party is one participant.
type party struct {
	p         genesys.MessageParticipant
	mediaID   string    // its message communication's id (the generic shape)
	visibleAt time.Time // it shows from then on (Options.ParticipantDelay)
}

// isoTime is how Genesys writes times: ISO-8601 with milliseconds.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// addParty adds a participant, connected or alerting from now.
func (c *emuConversation) addParty(now time.Time, purpose, name, state string, queue *org.Queue, user *org.Agent) *party {
	p := &party{
		p: genesys.MessageParticipant{
			ID: genesys.NewID(), Name: name, StartTime: isoTime(now), Purpose: purpose, State: state, Direction: "inbound",
		},
		mediaID: genesys.NewID(), visibleAt: now,
	}
	if state == genesys.StateConnected {
		p.p.ConnectedTime = isoTime(now)
	}
	if queue != nil {
		p.p.Queue = &genesys.EntityRef{ID: queue.ID, Name: queue.Name}
	}
	if user != nil {
		p.p.User = &genesys.EntityRef{ID: user.ID, Name: user.Name}
	}
	c.parties = append(c.parties, p)
	return p
}

// connect makes an alerting participant connected.
func (p *party) connect(now time.Time) {
	p.p.State = genesys.StateConnected
	p.p.ConnectedTime = isoTime(now)
}

// end disconnects a participant that is not yet.
func (p *party) end(now time.Time, disconnectType string) {
	if p.p.State == genesys.StateDisconnected {
		return
	}
	p.p.State = genesys.StateDisconnected
	p.p.EndTime = isoTime(now)
	p.p.DisconnectType = disconnectType
}

// holding returns the connected participants of purpose.
func (c *emuConversation) holding(purpose string) []*party {
	var out []*party
	for _, p := range c.parties {
		if p.p.Purpose == purpose && p.p.State != genesys.StateDisconnected {
			out = append(out, p)
		}
	}
	return out
}

func (c *emuConversation) party(id string) *party {
	for _, p := range c.parties {
		if p.p.ID == id {
			return p
		}
	}
	return nil
}

func (c *emuConversation) customerParty() *party {
	for _, p := range c.parties {
		if p.p.Purpose == genesys.PurposeCustomer {
			return p
		}
	}
	return nil
}

// messageConversation is the conversation as GET .../messages/{id} and the
// queue topic show it at now: the participants visible by then.
func (c *emuConversation) messageConversation(now time.Time) genesys.MessageConversation {
	out := genesys.MessageConversation{ID: c.ID, Participants: []genesys.MessageParticipant{}}
	for _, p := range c.parties {
		if now.Before(p.visibleAt) {
			continue
		}
		mp := p.p
		if mp.Queue != nil {
			q := *mp.Queue
			mp.Queue = &q
		}
		if mp.User != nil {
			u := *mp.User
			mp.User = &u
		}
		if mp.Attributes != nil {
			mp.Attributes = cloneMap(mp.Attributes)
		}
		out.Participants = append(out.Participants, mp)
	}
	return out
}

// genericConversation is the conversation as GET /api/v2/conversations/{id}
// shows it: the state per media, the queue as queueId and queueName.
func (c *emuConversation) genericConversation(now time.Time) genesys.Conversation {
	out := genesys.Conversation{ID: c.ID, StartTime: isoTime(c.Created), Participants: []genesys.Participant{}, SelfURI: "/api/v2/conversations/" + c.ID}
	if c.State == ConversationClosed {
		out.EndTime = isoTime(c.Updated)
	}
	for _, p := range c.parties {
		if now.Before(p.visibleAt) {
			continue
		}
		gp := genesys.Participant{
			ID: p.p.ID, StartTime: p.p.StartTime, EndTime: p.p.EndTime, ConnectedTime: p.p.ConnectedTime,
			Name: p.p.Name, Purpose: p.p.Purpose, Attributes: cloneMap(p.p.Attributes),
			Messages: []genesys.MessageMedia{{
				ID: p.mediaID, State: p.p.State, Direction: p.p.Direction, DisconnectType: p.p.DisconnectType,
				ConnectedTime: p.p.ConnectedTime, DisconnectedTime: p.p.EndTime,
			}},
		}
		if p.p.Queue != nil {
			gp.QueueID, gp.QueueName = p.p.Queue.ID, p.p.Queue.Name
		}
		if p.p.User != nil {
			gp.UserID = p.p.User.ID
		}
		out.Participants = append(out.Participants, gp)
	}
	return out
}

// partiesBefore copies the participants' JSON, to tell what a change did.
func (c *emuConversation) partiesBefore() []genesys.MessageParticipant {
	out := make([]genesys.MessageParticipant, len(c.parties))
	for i, p := range c.parties {
		out[i] = p.p
	}
	return out
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
