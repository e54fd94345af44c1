package serve

import (
	"errors"
	"sync"
	"time"
)

// errTooManyChats refuses a chat beyond Options.MaxChats when no chat can
// make room.
var errTooManyChats = errors.New("too many chats: try again later")

// Eviction ages: chats nobody looks at are forgotten once closed for
// closedIdle, any after openIdle; at MaxChats a chat that has a page but
// has been idle for watchedIdle may make room for a new one.
const (
	closedIdle  = time.Hour
	openIdle    = 24 * time.Hour
	watchedIdle = 30 * time.Minute
)

// chatRegistry holds the chats by their ids: the chat id (the page's
// capability), the Genesys conversation and the Open Messaging customer.
// It bounds how many are kept and picks which to forget; stopping a
// forgotten chat is its caller's job (outside the registry's lock).
type chatRegistry struct {
	max int

	mu         sync.Mutex
	chats      map[string]*chat
	byConv     map[string]*chat // Genesys conversation id -> chat
	byCustomer map[string]*chat // Open Messaging customer id -> chat
}

func newChatRegistry(max int) *chatRegistry {
	return &chatRegistry{max: max, chats: map[string]*chat{}, byConv: map[string]*chat{}, byCustomer: map[string]*chat{}}
}

// add keeps c. At max chats it forgets one first, which it returns: the
// least recently active chat that no page shows, else the least recently
// active one idle for watchedIdle; with neither, c is refused.
func (r *chatRegistry) add(c *chat, now time.Time) (evicted *chat, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.chats) >= r.max {
		if evicted = r.victimLocked(now); evicted == nil {
			return nil, errTooManyChats
		}
		r.forgetLocked(evicted)
	}
	r.chats[c.id] = c
	r.byCustomer[c.customer] = c
	return evicted, nil
}

func (r *chatRegistry) victimLocked(now time.Time) *chat {
	var free, idle *chat
	var freeAt, idleAt time.Time
	for _, c := range r.chats {
		pages, last := c.activity()
		switch {
		case pages == 0 && (free == nil || last.Before(freeAt)):
			free, freeAt = c, last
		case pages > 0 && now.Sub(last) >= watchedIdle && (idle == nil || last.Before(idleAt)):
			idle, idleAt = c, last
		}
	}
	if free != nil {
		return free
	}
	return idle
}

// get returns the chat with that id, or nil.
func (r *chatRegistry) get(id string) *chat {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.chats[id]
}

// route finds the chat a message from Genesys is for: by conversation id,
// else by the customer id (a message may arrive before the handover that
// created its conversation has returned, and the webhook's outbound
// messages need not carry a conversation id at all).
func (r *chatRegistry) route(conversationID, customerID string) *chat {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c := r.byConv[conversationID]; c != nil {
		return c
	}
	return r.byCustomer[customerID]
}

// mapConversation routes conversation id to c, in place of its previous
// conversation, unless c is forgotten already.
func (r *chatRegistry) mapConversation(c *chat, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.chats[c.id] != c {
		return
	}
	if c.mappedConv != "" && r.byConv[c.mappedConv] == c {
		delete(r.byConv, c.mappedConv)
	}
	r.byConv[id], c.mappedConv = c, id
}

// evictIdle forgets the chats no page shows that have been idle long
// enough, and returns them.
func (r *chatRegistry) evictIdle(now time.Time) []*chat {
	r.mu.Lock()
	defer r.mu.Unlock()
	var drop []*chat
	for _, c := range r.chats {
		if c.evictable(now) {
			drop = append(drop, c)
		}
	}
	for _, c := range drop {
		r.forgetLocked(c)
	}
	return drop
}

// all returns every chat kept.
func (r *chatRegistry) all() []*chat {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*chat, 0, len(r.chats))
	for _, c := range r.chats {
		out = append(out, c)
	}
	return out
}

// count returns how many chats and customers are kept.
func (r *chatRegistry) count() (chats, customers int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.chats), len(r.byCustomer)
}

// forgetLocked drops the chat and its conversation and customer ids, in
// constant time.
func (r *chatRegistry) forgetLocked(c *chat) {
	delete(r.chats, c.id)
	delete(r.byCustomer, c.customer)
	if c.mappedConv != "" && r.byConv[c.mappedConv] == c {
		delete(r.byConv, c.mappedConv)
	}
	c.mappedConv = ""
}
