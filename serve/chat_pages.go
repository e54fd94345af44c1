package serve

import (
	"time"
)

// The pages that show a chat: what they are sent, and when the chat may be
// forgotten for want of one.

// sendLocked sends a message to every page showing the chat.
func (c *chat) sendLocked(v any) {
	if len(c.subs) == 0 {
		return
	}
	data := mustJSON(v)
	for pc := range c.subs {
		pc.send(data)
	}
}

// attach makes a page show the chat: its history and state, in messages
// of at most historyChunk entries and about historyChunkBytes, then live
// entries.
func (c *chat) attach(pc *pageConn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	evs, dropped := c.log.page()
	for first := true; first || len(evs) > 0; first = false {
		n, size := 0, 0
		for n < len(evs) && n < historyChunk && (n == 0 || size+len(evs[n].Text) <= historyChunkBytes) {
			size += len(evs[n].Text)
			n++
		}
		h := history{Type: "history", Events: evs[:n], State: c.state, Append: !first, Dropped: dropped}
		pc.send(mustJSON(h))
		evs = evs[n:]
	}
	c.subs[pc] = struct{}{}
	c.lastActive = time.Now()
}

func (c *chat) detach(pc *pageConn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.subs, pc)
	c.lastActive = time.Now()
}

// activity returns how many pages show the chat and when it was last
// active.
func (c *chat) activity() (pages int, last time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.subs), c.lastActive
}

// evictable reports whether the chat can be forgotten: no page shows it,
// and it has been idle closedIdle since it closed or openIdle.
func (c *chat) evictable(now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.subs) > 0 {
		return false
	}
	idle := now.Sub(c.lastActive)
	return ((c.state.Closed || c.stopped) && idle > closedIdle) || idle > openIdle
}

// unwatched reports whether no page shows the chat.
func (c *chat) unwatched() bool {
	pages, _ := c.activity()
	return pages == 0
}
