package emulator_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/genesystest"
)

// What the emulator writes has the shapes of the fixtures
// (genesys/testdata): it decodes into the client's types, and has no field
// its fixture lacks. The client's decoders are checked against the same
// files (genesys/fixtures_test.go).

// shaped checks one output against its fixture and decodes it into T.
func shaped[T any](t *testing.T, fixture string, data []byte) T {
	t.Helper()
	genesystest.CheckShape(t, fixture, data)
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v: %s", fixture, err, data)
	}
	return v
}

// rawGet sends an authenticated GET and returns the body.
func rawGet(t *testing.T, em *emulator.Server, tok, target string) []byte {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", target, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	em.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("%s: HTTP %d %s", target, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

func TestEmulatorWritesRealShapes(t *testing.T) {
	o := acmeOrg(t)
	em, c, sink := messagingSetup(t, o)
	ctx := context.Background()
	tok := token(t, em, o)
	integ := o.Integrations[0].ID

	// The inbound message and its answer.
	status, body := emuPost(t, em, tok, "/api/v2/conversations/messages/"+integ+"/inbound/open/message?prefetchConversationId=true",
		string(genesystest.Fixture(t, "inbound-message.json")))
	if status != 200 {
		t.Fatalf("inbound: HTTP %d %s", status, body)
	}
	res := shaped[genesys.OpenMessageResult](t, "inbound-result.json", []byte(body))
	conv := res.ConversationID
	if err := c.MoveToQueue(ctx, conv, genesys.Queue{ID: o.Queue("Billing Support").ID, Name: "Billing Support"}); err != nil {
		t.Fatal(err)
	}

	// The notification channel, its subscriptions and frames.
	topics := append(genesys.ConversationTopics(conv), genesys.QueueTopic(o.Queue("Billing Support").ID), "v2.users.nobody.nonsense")
	chData, _ := json.Marshal(must(c.CreateChannel(ctx)))
	ch := shaped[genesys.NotificationChannel](t, "channel.json", chData)
	status, body = emuPost(t, em, tok, "/api/v2/notifications/channels/"+ch.ID+"/subscriptions?ignoreErrors=true", topicsJSON(topics))
	if status != 200 {
		t.Fatalf("subscribe: HTTP %d %s", status, body)
	}
	shaped[genesys.ChannelTopicListing](t, "channel-topics.json", []byte(body))
	sock := dialSocket(t, ch)

	if err := em.AgentJoin(ctx, conv, "Alice"); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"acd.end", "user.start"} {
		_, raw := sock.next("." + kind)
		n := shaped[genesys.Notification](t, "notification-"+strings.ReplaceAll(kind, ".", "-")+".json", raw)
		var ev genesys.ConversationEvent
		if err := json.Unmarshal(n.EventBody, &ev); err != nil || ev.ConversationID != conv {
			t.Fatalf("%s: %+v %v", kind, ev, err)
		}
	}
	_, raw := sock.next(".conversations.messages")
	shaped[genesys.Notification](t, "notification-queue-messages.json", raw)

	// The conversation in both shapes.
	shaped[genesys.MessageConversation](t, "message-conversation.json", rawGet(t, em, tok, "/api/v2/conversations/messages/"+conv))
	shaped[genesys.Conversation](t, "conversation.json", rawGet(t, em, tok, "/api/v2/conversations/"+conv))

	// Agent messages on the webhook: Text, and Structured with quick
	// replies.
	if err := em.AgentSay(ctx, conv, "Hi Ann"); err != nil {
		t.Fatal(err)
	}
	if err := em.AgentSay(ctx, conv, "Refund it?", "Yes", "No"); err != nil {
		t.Fatal(err)
	}
	sink.mu.Lock()
	text, structured := sink.raw[0], sink.raw[1]
	sink.mu.Unlock()
	shaped[genesys.OpenOutboundMessage](t, "webhook-text.json", text)
	shaped[genesys.OpenOutboundMessage](t, "webhook-structured-quickreplies.json", structured)

	if err := em.AgentClose(ctx, conv); err != nil {
		t.Fatal(err)
	}
	_, raw = sock.next(".customer.end")
	shaped[genesys.Notification](t, "notification-customer-end.json", raw)

	// Errors.
	status, body = emuPost(t, em, "", "/api/v2/conversations/messages/"+integ+"/inbound/open/message", `{}`)
	if status != 401 {
		t.Fatalf("no token: HTTP %d", status)
	}
	shaped[genesys.ErrorBody](t, "error-missing-permissions.json", []byte(body))
	em.ExpireNotificationChannels()
	_, raw = sock.next(genesys.TopicSocketClosing)
	shaped[genesys.Notification](t, "notification-socket-closing.json", raw)
}

func TestEmulatorHeartbeatShape(t *testing.T) {
	o := acmeOrg(t)
	_, c, _ := emulate(t, o, emulator.Options{HeartbeatInterval: 10 * time.Millisecond}, nil)
	sock, _, _ := openSocket(t, c)
	_, raw := sock.next(genesys.TopicHeartbeat)
	n := shaped[genesys.Notification](t, "notification-heartbeat.json", raw)
	if string(n.EventBody) != `{"message":"WebSocket Heartbeat"}` {
		t.Fatalf("heartbeat %s", raw)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func topicsJSON(topics []string) string {
	body := make([]genesys.ChannelTopic, len(topics))
	for i, t := range topics {
		body[i] = genesys.ChannelTopic{ID: t}
	}
	data, _ := json.Marshal(body)
	return string(data)
}

// dialSocket opens an existing channel's socket.
func dialSocket(t *testing.T, ch genesys.NotificationChannel) *socket {
	t.Helper()
	conn, _, err := websocket.Dial(context.Background(), ch.ConnectURI, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	return readSocket(t, conn)
}
