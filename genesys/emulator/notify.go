package emulator

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/internal/lazyre"
)

// The Notification API: channels (POST /api/v2/notifications/channels),
// their subscriptions (POST adds, PUT replaces; ignoreErrors=true reports a
// refused topic as Rejected), and each channel's websocket at its
// connectUri, with heartbeats, and the socket closed at the channel's end.
var notifyRoutes = []route{
	{method: http.MethodPost, pattern: "/api/v2/notifications/channels", auth: true, handle: (*Server).createChannel},
	{method: http.MethodPost, pattern: "/api/v2/notifications/channels/{channelId}/subscriptions", auth: true, handle: (*Server).addSubscriptions},
	{method: http.MethodPut, pattern: "/api/v2/notifications/channels/{channelId}/subscriptions", auth: true, handle: (*Server).replaceSubscriptions},
	{method: http.MethodGet, pattern: "/channels/{channelId}", handle: (*Server).channelSocket},
}

// Bounds of the Notification API: 20 channels per client (a 21st removes
// the oldest), 1,000 topics per channel; a socket that lags this many
// frames behind is closed.
const (
	maxChannelsPerClient = 20
	maxTopicsPerChannel  = 1000
	socketBuffer         = 256
)

type notifyHub struct {
	mu       sync.Mutex
	channels map[string]*emuChannel
	order    []*emuChannel // oldest first
	closed   bool
}

type emuChannel struct {
	id, client string
	expires    time.Time
	topics     map[string]bool
	sock       *chanSocket
	timer      *time.Timer // the channel's end
}

// chanSocket is the channel's one websocket: frames to write, and why it
// closes.
type chanSocket struct {
	out     chan []byte
	done    chan struct{}
	once    sync.Once
	closing []byte // the last frame to write, if any
}

func (s *chanSocket) close(last []byte) {
	s.once.Do(func() {
		s.closing = last
		close(s.done)
	})
}

func newNotifyHub() *notifyHub { return &notifyHub{channels: map[string]*emuChannel{}} }

// The topics the emulator knows: the queue topic and the detail events of
// a conversation (genesys-api.md §0.2). It publishes on every one of them
// but .customer.start, whose event comes when the conversation starts,
// before anyone can know its id to subscribe, and .attributes, whose
// events (when and with what) it does not model: it sends nothing rather
// than a guess.
var (
	queueTopicRE  = lazyre.New(`^v2\.routing\.queues\.([^.]+)\.conversations\.messages$`)
	detailTopicRE = lazyre.New(`^v2\.detail\.events\.conversation\.([^.]+)\.(acd\.start|acd\.end|user\.start|user\.end|customer\.start|customer\.end|attributes)$`)
)

// createChannel is POST /api/v2/notifications/channels. With
// Notifications "unavailable" it answers 403.
func (e *Server) createChannel(w http.ResponseWriter, r *http.Request, c *call) {
	if e.opts.Notifications == NotifyUnavailable {
		writeError(w, http.StatusForbidden, "not.authorized", "You are not authorized to perform the requested action.")
		return
	}
	scheme := "ws"
	if r.TLS != nil {
		scheme = "wss"
	}
	ch := &emuChannel{
		id: "streaming-0-" + strings.ReplaceAll(genesys.NewID(), "-", ""), client: c.client.ID,
		expires: e.opts.Now().Add(e.opts.ChannelTTL), topics: map[string]bool{},
	}
	h := e.notify
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		writeError(w, http.StatusServiceUnavailable, "service.unavailable", "The service is currently unavailable.")
		return
	}
	var mine []*emuChannel
	for _, o := range h.order {
		if o.client == ch.client {
			mine = append(mine, o)
		}
	}
	if len(mine) >= maxChannelsPerClient {
		h.removeLocked(mine[0], nil)
	}
	h.channels[ch.id] = ch
	h.order = append(h.order, ch)
	id := ch.id
	ch.timer = time.AfterFunc(e.opts.ChannelTTL, func() { e.expireChannel(id) })
	h.mu.Unlock()
	writeJSON(w, http.StatusOK, genesys.NotificationChannel{ConnectURI: scheme + "://" + r.Host + "/channels/" + ch.id, ID: ch.id, Expires: isoTime(ch.expires)})
}

// removeLocked forgets a channel and closes its socket, with last as its
// last frame.
func (h *notifyHub) removeLocked(ch *emuChannel, last []byte) {
	delete(h.channels, ch.id)
	h.order = slices.DeleteFunc(h.order, func(o *emuChannel) bool { return o == ch })
	if ch.timer != nil {
		ch.timer.Stop()
	}
	if ch.sock != nil {
		ch.sock.close(last)
	}
}

// expireChannel ends a channel: its socket is told v2.system.socket_closing
// and closed.
func (e *Server) expireChannel(id string) {
	last := frameOf(genesys.TopicSocketClosing, genesys.SystemMessage{ChannelID: id, Message: "Socket closing"})
	h := e.notify
	h.mu.Lock()
	defer h.mu.Unlock()
	if ch := h.channels[id]; ch != nil {
		h.removeLocked(ch, last)
	}
}

func (e *Server) addSubscriptions(w http.ResponseWriter, r *http.Request, c *call) {
	e.subscribe(w, r, c, false)
}

func (e *Server) replaceSubscriptions(w http.ResponseWriter, r *http.Request, c *call) {
	e.subscribe(w, r, c, true)
}

// subscribe sets a channel's topics. A refused topic fails the request
// (400) unless ignoreErrors=true, when it comes back Rejected. The answer
// lists every topic of the channel, then those rejected.
func (e *Server) subscribe(w http.ResponseWriter, r *http.Request, c *call, replace bool) {
	var req []genesys.ChannelTopic
	if _, ok := readJSON(w, r, &req); !ok {
		return
	}
	h := e.notify
	h.mu.Lock()
	ch := h.channels[c.params["channelId"]]
	if ch == nil || ch.client != c.client.ID {
		h.mu.Unlock()
		writeError(w, http.StatusNotFound, "not.found", "The channel was not found.")
		return
	}
	keep := map[string]bool{}
	if !replace {
		for t := range ch.topics {
			keep[t] = true
		}
	}
	var rejected []genesys.ChannelTopic
	for _, t := range req {
		if keep[t.ID] {
			continue
		}
		reason := e.topicRefusal(t.ID)
		if reason == "" && len(keep) >= maxTopicsPerChannel {
			reason = "The channel has the most topics allowed (1000)"
		}
		if reason != "" {
			rejected = append(rejected, genesys.ChannelTopic{ID: t.ID, State: genesys.TopicRejected, RejectionReason: reason})
			continue
		}
		keep[t.ID] = true
	}
	if len(rejected) > 0 && r.URL.Query().Get("ignoreErrors") != "true" {
		h.mu.Unlock()
		writeError(w, http.StatusBadRequest, "bad.request", "Subscription to topic "+rejected[0].ID+" was rejected: "+rejected[0].RejectionReason)
		return
	}
	ch.topics = keep
	out := genesys.ChannelTopicListing{Entities: []genesys.ChannelTopic{}}
	for t := range keep {
		out.Entities = append(out.Entities, genesys.ChannelTopic{ID: t, State: genesys.TopicPermitted})
	}
	h.mu.Unlock()
	slices.SortFunc(out.Entities, func(a, b genesys.ChannelTopic) int { return strings.Compare(a.ID, b.ID) })
	out.Entities = append(out.Entities, rejected...)
	writeJSON(w, http.StatusOK, out)
}

// topicRefusal says why a topic is refused, or "" when it is granted.
func (e *Server) topicRefusal(topic string) string {
	mode := e.opts.Notifications
	if m := queueTopicRE.FindStringSubmatch(topic); m != nil {
		if q := e.org.Queue(m[1]); q == nil || q.ID != m[1] {
			return "Invalid topic: no such queue"
		}
		if mode == NotifyAll || mode == NotifyQueue {
			return ""
		}
		return "Permission denied"
	}
	if detailTopicRE.MatchString(topic) {
		if mode == NotifyAll || mode == NotifyConversation {
			return ""
		}
		return "Permission denied"
	}
	return "Invalid topic"
}
