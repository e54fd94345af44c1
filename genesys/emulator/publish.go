package emulator

import (
	"slices"
	"time"

	"github.com/flowctl/flowctl/genesys"
)

// What a change to a conversation's participants tells the notification
// topics: the analytics detail events of the conversation
// (v2.detail.events.conversation.{id}.acd.start, ...) and the whole
// conversation on the queue topic of every queue it involves.

// change applies do to a conversation's participants (m.mu held) and
// publishes what it did.
func (e *Server) change(conv *emuConversation, do func(now time.Time)) {
	now := e.opts.Now()
	before := conv.partiesBefore()
	do(now)
	e.publishLocked(conv, before, now)
}

func (e *Server) publishLocked(conv *emuConversation, before []genesys.MessageParticipant, now time.Time) {
	changed := len(before) != len(conv.parties)
	for _, p := range conv.parties {
		i := slices.IndexFunc(before, func(b genesys.MessageParticipant) bool { return b.ID == p.p.ID })
		var was *genesys.MessageParticipant
		if i >= 0 {
			was = &before[i]
		}
		if was != nil && was.State != p.p.State {
			changed = true
		}
		ended := p.p.State == genesys.StateDisconnected && (was == nil || was.State != genesys.StateDisconnected)
		switch p.p.Purpose {
		case genesys.PurposeACD:
			if was == nil {
				e.detailEvent(conv, p, "acd.start", now)
			}
			if ended {
				e.detailEvent(conv, p, "acd.end", now)
			}
		case genesys.PurposeAgent:
			if p.p.State == genesys.StateConnected && (was == nil || was.State != genesys.StateConnected) {
				e.detailEvent(conv, p, "user.start", now)
			}
			if ended {
				e.detailEvent(conv, p, "user.end", now)
			}
		case genesys.PurposeCustomer:
			if ended {
				e.detailEvent(conv, p, "customer.end", now)
			}
		}
	}
	if !changed {
		return
	}
	snap := conv.messageConversation(now)
	var queues []string
	for _, p := range conv.parties {
		if p.p.Queue != nil && !slices.Contains(queues, p.p.Queue.ID) {
			queues = append(queues, p.p.Queue.ID)
		}
	}
	for _, q := range queues {
		e.notify.publish(genesys.QueueTopic(q), snap)
	}
}

// detailEvent publishes one detail event of participant p: the fields of
// AcdStartEvent, AcdEndEvent, UserStartEvent, UserEndEvent or
// CustomerEndEvent.
func (e *Server) detailEvent(conv *emuConversation, p *party, kind string, now time.Time) {
	ev := genesys.ConversationEvent{
		EventTime: now.UnixMilli(), ConversationID: conv.ID, ParticipantID: p.p.ID, SessionID: p.mediaID, MediaType: "MESSAGE",
	}
	if kind == "acd.end" || kind == "user.end" || kind == "customer.end" {
		ev.DisconnectType = p.p.DisconnectType
	}
	if p.p.Purpose == genesys.PurposeAgent && p.p.User != nil {
		ev.UserID = p.p.User.ID
	}
	queue := p.p.Queue
	if queue == nil {
		queue = &conv.Queue
	}
	if q := e.org.Queue(queue.ID); q != nil && queue.ID != "" {
		if p.p.Purpose != genesys.PurposeCustomer {
			ev.QueueID = q.ID
		}
		if d := e.org.Division(q.Division); d != nil {
			ev.DivisionID = d.ID
		}
	}
	e.notify.publish(genesys.ConversationTopics(conv.ID)[slices.Index(genesys.DetailEventKinds, kind)], ev)
}
