package emulator_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
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
	var base string // the emulator's URL: the channel's connectUri names its host
	em, c, _ := emulate(t, o, emulator.Options{}, func(cfg *genesys.Config) { base = cfg.Region })
	sink := &webhookSink{secret: o.Integrations[0].WebhookSecret}
	hook := httptest.NewServer(sink)
	t.Cleanup(hook.Close)
	if err := em.SetWebhookURL(o.Integrations[0].Name, hook.URL); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tok := token(t, em, o)
	integ := o.Integrations[0].ID
	billing := o.Queue("Billing Support").ID

	// The token's description.
	ti := shaped[genesys.TokenInfo](t, "tokens-me.json", rawGet(t, em, tok, "/api/v2/tokens/me"))
	if ti.Organization.Name != "Acme" || ti.OAuthClient == nil || ti.OAuthClient.Organization == nil {
		t.Fatalf("tokens/me: %+v", ti)
	}

	// The inbound message and its answer.
	status, body := emuPost(t, em, tok, "/api/v2/conversations/messages/"+integ+"/inbound/open/message?prefetchConversationId=true",
		string(genesystest.Fixture(t, "inbound-message.json")))
	if status != 200 {
		t.Fatalf("inbound: HTTP %d %s", status, body)
	}
	res := shaped[genesys.OpenMessageResult](t, "inbound-result.json", []byte(body))
	conv := res.ConversationID

	// The notification channel (the bytes the emulator wrote), its
	// subscriptions and frames: every detail event from the transfer to
	// the queue on.
	status, body = emuPost(t, em, tok, base+"/api/v2/notifications/channels", "")
	if status != 200 {
		t.Fatalf("channel: HTTP %d %s", status, body)
	}
	ch := shaped[genesys.NotificationChannel](t, "channel.json", []byte(body))
	topics := append(genesys.ConversationTopics(conv), genesys.QueueTopic(billing), "v2.users.nobody.nonsense")
	status, body = emuPost(t, em, tok, "/api/v2/notifications/channels/"+ch.ID+"/subscriptions?ignoreErrors=true", topicsJSON(topics))
	if status != 200 {
		t.Fatalf("subscribe: HTTP %d %s", status, body)
	}
	shaped[genesys.ChannelTopicListing](t, "channel-topics.json", []byte(body))
	sock := dialSocket(t, ch)

	if err := c.MoveToQueue(ctx, conv, genesys.Queue{ID: billing, Name: "Billing Support"}); err != nil {
		t.Fatal(err)
	}
	frames := sock.collect(".acd.start", ".conversations.messages")
	detailShaped(t, "notification-acd-start.json", frames[".acd.start"], conv)
	shaped[genesys.Notification](t, "notification-queue-messages.json", frames[".conversations.messages"])

	if err := em.AgentJoin(ctx, conv, "Alice"); err != nil {
		t.Fatal(err)
	}
	frames = sock.collect(".acd.end", ".user.start")
	detailShaped(t, "notification-acd-end.json", frames[".acd.end"], conv)
	detailShaped(t, "notification-user-start.json", frames[".user.start"], conv)

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
	frames = sock.collect(".customer.end", ".user.end")
	detailShaped(t, "notification-customer-end.json", frames[".customer.end"], conv)
	detailShaped(t, "notification-user-end.json", frames[".user.end"], conv)

	// Errors.
	status, body = emuPost(t, em, "", "/api/v2/conversations/messages/"+integ+"/inbound/open/message", `{}`)
	if status != 401 {
		t.Fatalf("no token: HTTP %d", status)
	}
	shaped[genesys.ErrorBody](t, "error-missing-permissions.json", []byte(body))
	em.ExpireNotificationChannels()
	_, raw := sock.next(genesys.TopicSocketClosing)
	shaped[genesys.Notification](t, "notification-socket-closing.json", raw)
}

// detailShaped checks a detail-event frame and its body against the
// fixture, and that it is about conv.
func detailShaped(t *testing.T, fixture string, raw []byte, conv string) {
	t.Helper()
	n := shaped[genesys.Notification](t, fixture, raw)
	var ev genesys.ConversationEvent
	if err := json.Unmarshal(n.EventBody, &ev); err != nil || ev.ConversationID != conv {
		t.Fatalf("%s: %+v %v", fixture, ev, err)
	}
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
