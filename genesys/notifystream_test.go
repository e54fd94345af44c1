package genesys_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/genesystest"
)

// streamSetup hands a chat over in the emulator and opens a notification
// stream on a manual clock, subscribed to the conversation's topics.
func streamSetup(t *testing.T, opts emulator.Options) (*emulator.Server, *genesys.Client, *genesys.NotificationStream, *genesystest.ManualClock, string) {
	t.Helper()
	o := acmeOrg(t)
	em, c, _ := emulate(t, o, opts, nil)
	ctx := context.Background()
	res, err := c.HandOver(ctx, genesys.Handover{IntegrationID: o.Integrations[0].ID, From: genesys.OpenMessageFrom{ID: "cust", IDType: "Opaque"}, Text: "hi", Queue: "Support EN"})
	if err != nil {
		t.Fatal(err)
	}
	clock := genesystest.NewManualClock()
	s, err := c.OpenNotifications(ctx, genesys.NotificationOptions{Clock: clock, HeartbeatTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	verdicts, err := s.Subscribe(ctx, genesys.ConversationTopics(res.ConversationID))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range verdicts {
		if v.State != genesys.TopicPermitted {
			t.Fatalf("refused: %+v", v)
		}
	}
	return em, c, s, clock, res.ConversationID
}

// nextEvent waits for the stream's next event.
func nextEvent(t *testing.T, s *genesys.NotificationStream) genesys.StreamEvent {
	t.Helper()
	select {
	case ev, ok := <-s.Events():
		if !ok {
			t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no stream event within 5s")
	}
	return genesys.StreamEvent{}
}

// waitTimers waits until the stream has armed n timers on the clock.
func waitTimers(t *testing.T, clock *genesystest.ManualClock, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); clock.Pending() < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d timers armed, want %d", clock.Pending(), n)
		}
	}
}

// expectTopic reads events until one of the topic's suffix comes.
func expectTopic(t *testing.T, s *genesys.NotificationStream, suffix string) {
	t.Helper()
	for {
		ev := nextEvent(t, s)
		if ev.Notification != nil && strings.HasSuffix(ev.Notification.TopicName, suffix) {
			return
		}
	}
}

func TestNotificationStreamDelivers(t *testing.T) {
	em, _, s, _, conv := streamSetup(t, emulator.Options{})
	if err := em.AgentJoin(context.Background(), conv, "Bob"); err != nil {
		t.Fatal(err)
	}
	expectTopic(t, s, ".acd.end")
	expectTopic(t, s, ".user.start")
	if got := s.Topics(); !slices.Equal(got, genesys.ConversationTopics(conv)) && len(got) != 5 {
		t.Fatalf("topics %q", got)
	}
	// Unsubscribing replaces the channel's list by the rest.
	if err := s.Unsubscribe(context.Background(), genesys.ConversationTopics(conv)[:4]); err != nil {
		t.Fatal(err)
	}
	if got := s.Topics(); len(got) != 1 || !strings.HasSuffix(got[0], ".customer.end") {
		t.Fatalf("topics after unsubscribing %q", got)
	}
}

// A socket that closes is opened again on the same channel; consumers are
// told, and events flow again.
func TestNotificationStreamReconnects(t *testing.T) {
	em, _, s, _, conv := streamSetup(t, emulator.Options{})
	ch := s.Channel()
	em.DropNotificationSockets()
	if ev := nextEvent(t, s); !ev.Reconnected || !strings.Contains(ev.Reason, "the socket closed") {
		t.Fatalf("event %+v", ev)
	}
	if s.Channel() != ch || len(em.NotificationChannels()) != 1 {
		t.Fatalf("a new channel for a dropped socket: %+v, %d channels", s.Channel(), len(em.NotificationChannels()))
	}
	if err := em.AgentJoin(context.Background(), conv, "Bob"); err != nil {
		t.Fatal(err)
	}
	expectTopic(t, s, ".user.start")
}

// With no frame for HeartbeatTimeout the socket is taken for dead and
// opened again.
func TestNotificationStreamMissingHeartbeat(t *testing.T) {
	em, _, s, clock, conv := streamSetup(t, emulator.Options{})
	waitTimers(t, clock, 2) // the heartbeat watch and the renewal
	clock.Advance(59 * time.Second)
	select {
	case ev := <-s.Events():
		t.Fatalf("event before the timeout: %+v", ev)
	case <-time.After(50 * time.Millisecond):
	}
	clock.Advance(time.Second)
	if ev := nextEvent(t, s); !ev.Reconnected || ev.Reason != "no heartbeat for 1m0s" {
		t.Fatalf("event %+v", ev)
	}
	if err := em.AgentJoin(context.Background(), conv, "Bob"); err != nil {
		t.Fatal(err)
	}
	expectTopic(t, s, ".user.start")
}

// Before the channel expires a new one replaces it, with the topics
// subscribed again; so does Genesys's socket_closing.
func TestNotificationStreamRenewsAndResubscribes(t *testing.T) {
	em, _, s, clock, conv := streamSetup(t, emulator.Options{ChannelTTL: 24 * time.Hour})
	first := s.Channel()
	waitTimers(t, clock, 2)
	clock.Advance(24*time.Hour - 4*time.Minute) // past the renewal, 5 minutes before the channel expires
	ev := nextEvent(t, s)
	if !ev.Reconnected || !strings.HasPrefix(ev.Reason, "the channel expires at ") {
		t.Fatalf("event %+v", ev)
	}
	second := s.Channel()
	if second.ID == first.ID || len(s.Topics()) != 5 {
		t.Fatalf("channel %s after renewal (was %s), topics %q", second.ID, first.ID, s.Topics())
	}
	// Genesys closes the new channel: a third one takes over.
	em.ExpireNotificationChannels()
	if ev := nextEvent(t, s); !ev.Reconnected || ev.Reason != "Genesys is closing the socket" {
		t.Fatalf("event %+v", ev)
	}
	if third := s.Channel(); third.ID == second.ID || !slices.Contains(em.NotificationChannels(), third.ID) {
		t.Fatalf("channel %s, live %q", third.ID, em.NotificationChannels())
	}
	if err := em.AgentJoin(context.Background(), conv, "Bob"); err != nil {
		t.Fatal(err)
	}
	expectTopic(t, s, ".user.start")
}

// Channels refused, topics refused, sockets that cannot open: errors the
// caller falls back to polling on.
func TestNotificationsRefused(t *testing.T) {
	o := acmeOrg(t)
	_, c, _ := emulate(t, o, emulator.Options{Notifications: emulator.NotifyUnavailable}, nil)
	if _, err := c.OpenNotifications(context.Background(), genesys.NotificationOptions{}); err == nil || !strings.Contains(err.Error(), "HTTP 403") {
		t.Fatalf("channel refused: %v", err)
	}
	em, c, _ := emulate(t, o, emulator.Options{Notifications: emulator.NotifyRefused}, nil)
	s, err := c.OpenNotifications(context.Background(), genesys.NotificationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Subscribe(context.Background(), genesys.ConversationTopics("c1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.State != genesys.TopicRejected {
			t.Errorf("%+v", r)
		}
	}
	if len(s.Topics()) != 0 {
		t.Fatalf("rejected topics kept: %q", s.Topics())
	}
	em.Close() // no socket opens any more
	if _, err := c.OpenNotifications(context.Background(), genesys.NotificationOptions{}); err == nil {
		t.Fatal("opened a channel on a closed emulator")
	}
}
