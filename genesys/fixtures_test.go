package genesys_test

import (
	"encoding/json"
	"testing"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/genesystest"
	"github.com/google/go-cmp/cmp"
)

// The client's decoders against the fixtures of real shapes
// (testdata/README.md): each decodes to exactly the struct expected. The
// emulator's encoders are checked against the same files
// (genesys/emulator), so neither can drift from the real shapes alone.

const (
	fxConv    = "d06cb41e-f938-4dcf-b823-c8af1a39d7e5"
	fxQueue   = "8c2a5d1e-7f3b-4c9d-8e1f-2a3b4c5d6e7f"
	fxUser    = "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b"
	fxInteg   = "73cb7fb7-c2db-4996-88f3-0a83a4fea1da"
	fxCust    = "5b1f0c2e9d8a4f7c"
	fxDiv     = "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"
	fxAgentP  = "0a1b2c3d-0000-4000-8000-000000000004"
	fxCustP   = "0a1b2c3d-0000-4000-8000-000000000001"
	fxACDP    = "0a1b2c3d-0000-4000-8000-000000000003"
	fxChannel = "streaming-0-7d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a"
)

func fxChannelOf(messageID, t string) genesys.OpenOutboundChannel {
	return genesys.OpenOutboundChannel{
		ID: fxInteg, Platform: "Open", Type: "Private", MessageID: messageID,
		To:   genesys.OpenMessageFrom{ID: fxCust, IDType: "Opaque"},
		From: genesys.OpenMessageFrom{Nickname: "Bot webchat", ID: fxInteg, IDType: "Opaque"},
		Time: t,
	}
}

func billing() *genesys.EntityRef { return &genesys.EntityRef{ID: fxQueue, Name: "Billing Support"} }

func decodeFixture[T any](t *testing.T, name string, want T) {
	t.Helper()
	var got T
	if err := json.Unmarshal(genesystest.Fixture(t, name), &got); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", name, d)
	}
}

func TestFixturesWebhook(t *testing.T) {
	decodeFixture(t, "webhook-text.json", genesys.OpenOutboundMessage{
		ID: "c327c2078ca056db130c55ce648d9fa2", Channel: fxChannelOf("c327c2078ca056db130c55ce648d9fa2", "2026-01-02T03:04:05.123Z"),
		ConversationID: fxConv, Direction: "Outbound", OriginatingEntity: "Human", Type: "Text", Text: "Hi Ann, I see a double charge.",
		Content: []genesys.OpenContent{},
	})
	decodeFixture(t, "webhook-structured-quickreplies.json", genesys.OpenOutboundMessage{
		ID: "5e2f8a7c1b9d4e3fa0c6b2d8e4f1a7c3", Channel: fxChannelOf("5e2f8a7c1b9d4e3fa0c6b2d8e4f1a7c3", "2026-01-02T03:04:06.000Z"),
		ConversationID: fxConv, Direction: "Outbound", OriginatingEntity: "Human", Type: "Structured", Text: "Shall I refund it?",
		Content: []genesys.OpenContent{
			{ContentType: "QuickReply", QuickReply: &genesys.OpenQuickReply{Text: "Yes", Payload: "yes", Action: "Message"}},
			{ContentType: "QuickReply", QuickReply: &genesys.OpenQuickReply{Text: "No", Payload: "no", Action: "Message"}},
		},
	})
	decodeFixture(t, "webhook-structured-card.json", genesys.OpenOutboundMessage{
		ID: "9a8b7c6d5e4f4a3b8c2d1e0f9a8b7c6d", Channel: fxChannelOf("9a8b7c6d5e4f4a3b8c2d1e0f9a8b7c6d", "2026-01-02T03:04:07.000Z"),
		ConversationID: fxConv, Direction: "Outbound", OriginatingEntity: "Human", Type: "Structured",
		Content: []genesys.OpenContent{{ContentType: "Card", Card: &genesys.OpenCard{
			Title: "Refund", Description: "EUR 12.50 back to your card",
			Actions: []genesys.OpenCardAction{{Type: "Button", Text: "Confirm", Payload: "confirm"}, {Type: "Link", Text: "Terms", URL: "https://www.example.com/terms"}},
		}}},
	})
	decodeFixture(t, "webhook-receipt.json", genesys.OpenOutboundMessage{
		ID: "2f7d1c0b-3a4e-4b5f-8c6d-7e8f9a0b1c2d", Channel: fxChannelOf("4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "2026-01-02T03:04:08.000Z"),
		ConversationID: fxConv, Direction: "Outbound", Type: "Receipt", Status: "Delivered",
	})
	decodeFixture(t, "webhook-event-typing.json", genesys.OpenOutboundMessage{
		ID: "7b6a5c4d3e2f4a1b9c8d7e6f5a4b3c2d", Channel: fxChannelOf("7b6a5c4d3e2f4a1b9c8d7e6f5a4b3c2d", "2026-01-02T03:04:04.000Z"),
		ConversationID: fxConv, Direction: "Outbound", Type: "Event",
		Events: []genesys.OpenEvent{{EventType: "Typing", Typing: &genesys.OpenTyping{Type: "On", Duration: 5000}}},
	})
}

func TestFixturesConversations(t *testing.T) {
	decodeFixture(t, "message-conversation.json", genesys.MessageConversation{ID: fxConv, Participants: []genesys.MessageParticipant{
		{ID: fxCustP, Name: "Ann", StartTime: "2026-01-02T03:00:00.000Z", ConnectedTime: "2026-01-02T03:00:00.000Z", Purpose: "customer", State: "connected", Direction: "inbound",
			Attributes: map[string]string{"customerName": "Ann", "lastIntent": "agent"}},
		{ID: "0a1b2c3d-0000-4000-8000-000000000002", Name: "Bot webchat inbound flow", StartTime: "2026-01-02T03:00:00.000Z", ConnectedTime: "2026-01-02T03:00:00.000Z", EndTime: "2026-01-02T03:00:01.000Z",
			Purpose: "workflow", State: "disconnected", Direction: "inbound", DisconnectType: "transfer"},
		{ID: fxACDP, Name: "Billing Support", StartTime: "2026-01-02T03:00:01.000Z", ConnectedTime: "2026-01-02T03:00:01.000Z", EndTime: "2026-01-02T03:01:00.000Z",
			Purpose: "acd", State: "disconnected", Direction: "inbound", DisconnectType: "transfer", Queue: billing()},
		{ID: fxAgentP, Name: "Alice", StartTime: "2026-01-02T03:01:00.000Z", ConnectedTime: "2026-01-02T03:01:02.000Z", Purpose: "agent", State: "connected", Direction: "inbound",
			User: &genesys.EntityRef{ID: fxUser, Name: "Alice"}, Queue: billing()},
	}})
	decodeFixture(t, "conversation.json", genesys.Conversation{ID: fxConv, StartTime: "2026-01-02T03:00:00.000Z", SelfURI: "/api/v2/conversations/" + fxConv, Participants: []genesys.Participant{
		{ID: fxCustP, StartTime: "2026-01-02T03:00:00.000Z", ConnectedTime: "2026-01-02T03:00:00.000Z", Name: "Ann", Purpose: "customer",
			Attributes: map[string]string{"customerName": "Ann", "lastIntent": "agent"},
			Messages:   []genesys.MessageMedia{{ID: "6f5e4d3c-2b1a-4f0e-9d8c-7b6a5f4e3d2c", State: "connected", Direction: "inbound", ConnectedTime: "2026-01-02T03:00:00.000Z"}}},
		{ID: fxACDP, StartTime: "2026-01-02T03:00:01.000Z", ConnectedTime: "2026-01-02T03:00:01.000Z", Name: "Billing Support", QueueID: fxQueue, QueueName: "Billing Support", Purpose: "acd",
			Messages: []genesys.MessageMedia{{ID: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", State: "connected", Direction: "inbound", ConnectedTime: "2026-01-02T03:00:01.000Z"}}},
		{ID: fxAgentP, StartTime: "2026-01-02T03:01:00.000Z", EndTime: "2026-01-02T03:05:00.000Z", ConnectedTime: "2026-01-02T03:01:02.000Z", Name: "Alice", UserID: fxUser, QueueID: fxQueue, QueueName: "Billing Support", Purpose: "agent",
			Messages: []genesys.MessageMedia{{ID: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", State: "disconnected", Direction: "inbound", DisconnectType: "client", ConnectedTime: "2026-01-02T03:01:02.000Z", DisconnectedTime: "2026-01-02T03:05:00.000Z"}}},
	}})
}

// notification decodes a frame and its body.
func notification[T any](t *testing.T, name, topic string, want T) {
	t.Helper()
	var n genesys.Notification
	if err := json.Unmarshal(genesystest.Fixture(t, name), &n); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if n.TopicName != topic {
		t.Errorf("%s: topic %q, want %q", name, n.TopicName, topic)
	}
	var got T
	if err := json.Unmarshal(n.EventBody, &got); err != nil {
		t.Fatalf("%s: body: %v", name, err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", name, d)
	}
}

func TestFixturesNotifications(t *testing.T) {
	topics := genesys.ConversationTopics(fxConv)
	notification(t, "notification-queue-messages.json", genesys.QueueTopic(fxQueue), genesys.MessageConversation{ID: fxConv, Participants: []genesys.MessageParticipant{
		{ID: fxCustP, Name: "Ann", StartTime: "2026-01-02T03:00:00.000Z", ConnectedTime: "2026-01-02T03:00:00.000Z", Purpose: "customer", State: "connected", Direction: "inbound", Attributes: map[string]string{"customerName": "Ann"}},
		{ID: fxACDP, Name: "Billing Support", StartTime: "2026-01-02T03:00:01.000Z", ConnectedTime: "2026-01-02T03:00:01.000Z", EndTime: "2026-01-02T03:01:00.000Z",
			Purpose: "acd", State: "disconnected", Direction: "inbound", DisconnectType: "transfer", Queue: billing()},
		{ID: fxAgentP, Name: "Alice", StartTime: "2026-01-02T03:01:00.000Z", Purpose: "agent", State: "alerting", Direction: "inbound", User: &genesys.EntityRef{ID: fxUser, Name: "Alice"}, Queue: billing()},
	}})
	ev := func(ms int64, participant, session, disconnect, user, queue string) genesys.ConversationEvent {
		return genesys.ConversationEvent{EventTime: ms, ConversationID: fxConv, ParticipantID: participant, SessionID: session, DisconnectType: disconnect, MediaType: "MESSAGE", UserID: user, DivisionID: fxDiv, QueueID: queue}
	}
	const acdSession, agentSession = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
	notification(t, "notification-acd-start.json", topics[0], ev(1767322801000, fxACDP, acdSession, "", "", fxQueue))
	notification(t, "notification-acd-end.json", topics[1], ev(1767322860000, fxACDP, acdSession, "transfer", "", fxQueue))
	notification(t, "notification-user-start.json", topics[2], ev(1767322862000, fxAgentP, agentSession, "", fxUser, fxQueue))
	notification(t, "notification-user-end.json", topics[3], ev(1767323100000, fxAgentP, agentSession, "client", fxUser, fxQueue))
	notification(t, "notification-customer-end.json", topics[4], ev(1767323100000, fxCustP, "6f5e4d3c-2b1a-4f0e-9d8c-7b6a5f4e3d2c", "peer", "", ""))
	notification(t, "notification-heartbeat.json", genesys.TopicHeartbeat, genesys.HeartbeatBody{Message: "WebSocket Heartbeat"})
	notification(t, "notification-socket-closing.json", genesys.TopicSocketClosing, genesys.SystemMessage{ChannelID: fxChannel, Message: "Socket closing"})
	if id, ok := genesys.ConversationOfTopic(topics[3]); !ok || id != fxConv {
		t.Errorf("ConversationOfTopic(%q) = %q %v", topics[3], id, ok)
	}
	if _, ok := genesys.ConversationOfTopic(genesys.QueueTopic(fxQueue)); ok {
		t.Error("a queue topic named a conversation")
	}
}

func TestFixturesChannelsAndErrors(t *testing.T) {
	decodeFixture(t, "channel.json", genesys.NotificationChannel{
		ConnectURI: "wss://streaming.mypurecloud.com/channels/" + fxChannel, ID: fxChannel, Expires: "2026-01-03T03:00:00.000Z",
	})
	decodeFixture(t, "channel-topics.json", genesys.ChannelTopicListing{Entities: []genesys.ChannelTopic{
		{ID: genesys.ConversationTopics(fxConv)[0], State: "Permitted"},
		{ID: genesys.QueueTopic(fxQueue), State: "Rejected", RejectionReason: "Permission denied", MissingPermissions: []string{"routing:queue:monitor"}},
	}})
	decodeFixture(t, "inbound-message.json", genesys.OpenInboundMessage{
		Channel: genesys.OpenInboundChannel{
			MessageID: "c2f3e4d5-a6b7-4c8d-9e0f-1a2b3c4d5e6f", Time: "2026-01-02T03:00:00.000Z",
			From:     genesys.OpenMessageFrom{ID: fxCust, IDType: "Opaque", Nickname: "Web chat 5b1f0c"},
			Metadata: &genesys.OpenChannelMetadata{CustomAttributes: map[string]string{"customerName": "Ann", "lastIntent": "agent"}},
		},
		Text: "Handed over by the bot.",
	})
	decodeFixture(t, "inbound-result.json", genesys.OpenMessageResult{ID: "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b", Type: "Text", Text: "Handed over by the bot.", ConversationID: fxConv})
	decodeFixture(t, "error-missing-permissions.json", genesys.ErrorBody{
		Message: "Unable to perform the requested action. You are missing the following permission(s): [conversation:message:receive]",
		Code:    "missing.permissions", Status: 403, ContextID: "0f1e2d3c-4b5a-4697-8877-665544332217", Details: []genesys.ErrorDetail{}, Errors: []genesys.ErrorBody{},
	})
	decodeFixture(t, "oauth-invalid-client.json", genesys.OAuthError{Error: "invalid_client", Description: "client not found"})
	acme := genesys.NamedEntity{ID: "e5d9c46e-1b2a-4c3d-8e4f-5a6b7c8d9e0f", Name: "Acme"}
	decodeFixture(t, "tokens-me.json", genesys.TokenInfo{
		Organization: acme, HomeOrganization: acme, AuthorizedScope: []string{},
		OAuthClient: &genesys.OrgOAuthClient{
			ID: "74522aa1-2b3c-4d5e-8f6a-7b8c9d0e1f2a", Name: "Bot integration", AuthorizedGrantType: "CLIENT-CREDENTIALS", State: "active", Organization: &acme,
			RoleDivisions: []genesys.RoleDivision{{RoleID: "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b", DivisionID: fxDiv}},
		},
	})
}
