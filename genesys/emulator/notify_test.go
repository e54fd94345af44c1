package emulator_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
)

// socket is a notification channel's websocket, read into frames.
type socket struct {
	t      *testing.T
	frames chan genesys.Notification
	raw    chan []byte
	closed chan struct{}
}

// openSocket creates a channel, subscribes topics and opens its socket.
func openSocket(t *testing.T, c *genesys.Client, topics ...string) (*socket, []genesys.ChannelTopic, genesys.NotificationChannel) {
	t.Helper()
	ctx := context.Background()
	ch, err := c.CreateChannel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var res []genesys.ChannelTopic
	if len(topics) > 0 {
		if res, err = c.SubscribeTopics(ctx, ch.ID, topics, false); err != nil {
			t.Fatal(err)
		}
	}
	return dialSocket(t, *ch), res, *ch
}

// readSocket reads a socket's frames until it closes.
func readSocket(t *testing.T, conn *websocket.Conn) *socket {
	s := &socket{t: t, frames: make(chan genesys.Notification, 256), raw: make(chan []byte, 256), closed: make(chan struct{})}
	go func() {
		defer close(s.closed)
		for {
			_, data, err := conn.Read(context.Background())
			if err != nil {
				return
			}
			var n genesys.Notification
			json.Unmarshal(data, &n)
			s.frames <- n
			s.raw <- data
		}
	}()
	return s
}

// next returns the next frame whose topic has the suffix.
func (s *socket) next(suffix string) (genesys.Notification, []byte) {
	s.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case n := <-s.frames:
			raw := <-s.raw
			if strings.HasSuffix(n.TopicName, suffix) {
				return n, raw
			}
		case <-deadline:
			s.t.Fatalf("no frame of topic *%s", suffix)
		}
	}
}

func TestNotificationTopics(t *testing.T) {
	o := acmeOrg(t)
	em, c, _ := emulate(t, o, emulator.Options{}, nil)
	ctx := context.Background()
	res := handOver(t, c, o)
	conv := res.ConversationID
	topics := append(genesys.ConversationTopics(conv), genesys.QueueTopic(res.Queue.ID))
	sock, verdicts, _ := openSocket(t, c, topics...)
	for _, v := range verdicts {
		if v.State != genesys.TopicPermitted {
			t.Fatalf("topic refused: %+v", v)
		}
	}
	if err := em.AgentJoin(ctx, conv, "Bob"); err != nil {
		t.Fatal(err)
	}
	// In order: the acd ends, the whole conversation with the agent
	// alerting, the agent starts, the conversation with it connected.
	var kinds []string
	var events []genesys.ConversationEvent
	for len(kinds) < 4 {
		n, _ := sock.next("")
		kind := strings.TrimPrefix(n.TopicName, "v2.detail.events.conversation."+conv+".")
		if strings.HasSuffix(n.TopicName, ".conversations.messages") {
			var mc genesys.MessageConversation
			json.Unmarshal(n.EventBody, &mc)
			last := mc.Participants[len(mc.Participants)-1]
			kind = "queue:" + last.Purpose + ":" + last.State
		} else {
			var ev genesys.ConversationEvent
			json.Unmarshal(n.EventBody, &ev)
			events = append(events, ev)
		}
		kinds = append(kinds, kind)
	}
	if want := []string{"acd.end", "queue:agent:alerting", "user.start", "queue:agent:connected"}; !slices.Equal(kinds, want) {
		t.Fatalf("frames %q, want %q", kinds, want)
	}
	if ev := events[0]; ev.ConversationID != conv || ev.DisconnectType != "transfer" || ev.QueueID != res.Queue.ID || ev.DivisionID != o.Division("Support").ID {
		t.Fatalf("acd.end %+v", ev)
	}
	if ev := events[1]; ev.UserID != o.Agents[1].ID || ev.DisconnectType != "" {
		t.Fatalf("user.start %+v", ev)
	}
	if err := em.AgentClose(ctx, conv); err != nil {
		t.Fatal(err)
	}
	ends := map[string]genesys.ConversationEvent{}
	for len(ends) < 2 {
		n, _ := sock.next(".end")
		var ev genesys.ConversationEvent
		json.Unmarshal(n.EventBody, &ev)
		ends[n.TopicName[strings.LastIndex(n.TopicName[:len(n.TopicName)-4], ".")+1:]] = ev
	}
	if ev := ends["user.end"]; ev.DisconnectType != "client" {
		t.Fatalf("user.end %+v (%v)", ev, ends)
	}
	if ev := ends["customer.end"]; ev.QueueID != "" || ev.UserID != "" || ev.DisconnectType != "peer" {
		t.Fatalf("customer.end %+v", ev)
	}
}

// Options.Notifications refuses topics (Rejected with ignoreErrors=true,
// 400 without) or the channel itself.
func TestNotificationRefusals(t *testing.T) {
	o := acmeOrg(t)
	queue := genesys.QueueTopic(o.Queue("Support EN").ID)
	detail := genesys.ConversationTopics("c1")[0]
	for _, tt := range []struct {
		mode     string
		rejected []string
	}{
		{emulator.NotifyAll, nil},
		{emulator.NotifyQueue, []string{detail}},
		{emulator.NotifyConversation, []string{queue}},
		{emulator.NotifyRefused, []string{detail, queue}},
	} {
		_, c, _ := emulate(t, o, emulator.Options{Notifications: tt.mode}, nil)
		ctx := context.Background()
		ch, err := c.CreateChannel(ctx)
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.SubscribeTopics(ctx, ch.ID, []string{detail, queue, "v2.users.x.nonsense"}, false)
		if err != nil {
			t.Fatal(err)
		}
		var rejected []string
		for _, ct := range res {
			if ct.State == genesys.TopicRejected {
				rejected = append(rejected, ct.ID)
			}
		}
		want := append(slices.Clone(tt.rejected), "v2.users.x.nonsense")
		slices.Sort(rejected)
		slices.Sort(want)
		if !slices.Equal(rejected, want) {
			t.Errorf("%s: rejected %q, want %q", tt.mode, rejected, want)
		}
	}
	_, c, _ := emulate(t, o, emulator.Options{Notifications: emulator.NotifyUnavailable}, nil)
	if _, err := c.CreateChannel(context.Background()); err == nil || !strings.Contains(err.Error(), "HTTP 403") {
		t.Fatalf("unavailable: %v", err)
	}
	// Without ignoreErrors a rejected topic fails the request.
	em, c, _ := emulate(t, o, emulator.Options{Notifications: emulator.NotifyRefused}, nil)
	ch, _ := c.CreateChannel(context.Background())
	status, body := emuPost(t, em, token(t, em, o), "/api/v2/notifications/channels/"+ch.ID+"/subscriptions", `[{"id":"`+queue+`"}]`)
	if status != 400 || !strings.Contains(body, "was rejected") {
		t.Fatalf("HTTP %d %s", status, body)
	}
}

// A channel's socket gets heartbeats; at the channel's end it is told
// v2.system.socket_closing and closed, and the channel is gone. A 21st
// channel of a client removes the oldest.
func TestNotificationChannelLifetime(t *testing.T) {
	o := acmeOrg(t)
	em, c, _ := emulate(t, o, emulator.Options{HeartbeatInterval: 20 * time.Millisecond}, nil)
	sock, _, ch := openSocket(t, c)
	sock.next(genesys.TopicHeartbeat)
	em.ExpireNotificationChannels()
	sock.next(genesys.TopicSocketClosing)
	select {
	case <-sock.closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the socket stays open after the channel's end")
	}
	if _, err := c.SubscribeTopics(context.Background(), ch.ID, []string{genesys.QueueTopic(o.Queues[0].ID)}, false); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Fatalf("subscribing an ended channel: %v", err)
	}
	var ids []string
	for range 21 {
		ch, err := c.CreateChannel(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ch.ID)
	}
	if got := em.NotificationChannels(); len(got) != 20 || got[0] != ids[1] {
		t.Fatalf("%d channels, oldest %s", len(got), got[0])
	}
}
