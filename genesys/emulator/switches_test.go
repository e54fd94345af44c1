package emulator_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
)

// notSwitches are the fields of Options that model no behaviour of real
// Genesys: test hooks.
var notSwitches = []string{"Now", "Sleep", "TokenTTL", "OmitPageCount"}

// Every other field of Options is a switch; each switch's Default is what
// the zero Options means, and setting it changes nothing.
func TestSwitchesCoverOptions(t *testing.T) {
	var names []string
	for _, s := range emulator.Switches() {
		names = append(names, s.Name)
		if s.Takes == "" || s.Default == "" {
			t.Errorf("%s: takes %q, default %q", s.Name, s.Takes, s.Default)
		}
		var o emulator.Options
		if err := o.Set(s.Name, s.Default); err != nil {
			t.Errorf("%s: its default: %v", s.Name, err)
		}
		if got, want := fields(o.WithDefaults()), fields(emulator.Options{}.WithDefaults()); !reflect.DeepEqual(got, want) {
			t.Errorf("%s=%s is not the default:\n got %v\nwant %v", s.Name, s.Default, got, want)
		}
		for _, v := range s.Values {
			if err := o.Set(s.Name, v); err != nil {
				t.Errorf("%s: completed value %q: %v", s.Name, v, err)
			}
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("switches not sorted: %v", names)
	}
	typ := reflect.TypeOf(emulator.Options{})
	for i := range typ.NumField() {
		f := typ.Field(i).Name
		if !slices.Contains(names, f) && !slices.Contains(notSwitches, f) {
			t.Errorf("Options.%s is no switch", f)
		}
	}
	for _, n := range names {
		if _, ok := typ.FieldByName(n); !ok {
			t.Errorf("switch %s is no field of Options", n)
		}
	}
}

// fields are the comparable fields of Options (not the clock).
func fields(o emulator.Options) map[string]any {
	out := map[string]any{}
	v := reflect.ValueOf(o)
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.Type.Kind() != reflect.Func {
			out[f.Name] = v.Field(i).Interface()
		}
	}
	return out
}

func TestSwitchSet(t *testing.T) {
	tests := []struct {
		name, value string
		check       func(emulator.Options) bool
		err         string
	}{
		{name: "Notifications", value: "queue", check: func(o emulator.Options) bool { return o.Notifications == emulator.NotifyQueue }},
		{name: "notifications", value: "refused", check: func(o emulator.Options) bool { return o.Notifications == emulator.NotifyRefused }},
		{name: "ParticipantDelay", value: "0", check: func(o emulator.Options) bool { return o.ParticipantDelay < 0 }},
		{name: "ParticipantDelay", value: "2s", check: func(o emulator.Options) bool { return o.ParticipantDelay == 2*time.Second }},
		{name: "WebhookRetries", value: "0", check: func(o emulator.Options) bool { return o.WithDefaults().WebhookRetries == 0 }},
		{name: "WebhookRetries", value: "3", check: func(o emulator.Options) bool { return o.WebhookRetries == 3 }},
		{name: "WebhookConversationID", value: "true", check: func(o emulator.Options) bool { return o.WebhookConversationID }},
		{name: "MessageConversationPermission", value: "conversation:communication:view", check: func(o emulator.Options) bool {
			return o.MessageConversationPermission == "conversation:communication:view"
		}},
		{name: "MessageConversationPermission", value: "none", check: func(o emulator.Options) bool { return o.MessageConversationPermission == "" }},
		{name: "HiddenQueueStatus", value: "404", check: func(o emulator.Options) bool { return o.HiddenQueueStatus == 404 }},
		{name: "ReplaceParticipant", value: "routed", check: func(o emulator.Options) bool { return o.ReplaceParticipant == emulator.ReplaceRouted }},

		{name: "Notification", value: "all", err: `no emulator switch "Notification"; did you mean "Notifications"?`},
		{name: "Zzzz", value: "1", err: `no emulator switch "Zzzz" (have AgentEndKeepsCustomer, ChannelTTL, `},
		{name: "Notifications", value: "sometimes", err: `Notifications takes all, queue, conversation, refused or unavailable, not "sometimes"`},
		{name: "HeartbeatInterval", value: "-1s", err: `HeartbeatInterval takes a positive duration, e.g. 30s, not "-1s"`},
		{name: "InboundStatus", value: "201", err: `InboundStatus takes 200 or 202, not "201"`},
		{name: "WebhookRetries", value: "11", err: `WebhookRetries takes a number of retries from 0 to 10, not "11"`},
		{name: "AgentEndKeepsCustomer", value: "yes", err: `AgentEndKeepsCustomer takes true or false, not "yes"`},
		{name: "MessageConversationPermission", value: "conversation:view", err: `MessageConversationPermission takes a permission domain:entity:action, or none, not "conversation:view"`},
		{name: "TimeoutDisconnectType", value: "", err: `TimeoutDisconnectType takes a disconnectType, e.g. timeout, inactivity or system, not ""`},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			var o emulator.Options
			err := o.Set(tt.name, tt.value)
			switch {
			case tt.err != "":
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
			case err != nil:
				t.Fatal(err)
			case !tt.check(o):
				t.Fatalf("not set: %+v", o)
			}
		})
	}
}

// WebhookConversationID: the webhook's outbound message has no
// conversationId by default (the real outbound shape), one with the
// switch.
func TestSwitchWebhookConversationID(t *testing.T) {
	for _, on := range []bool{false, true} {
		o := acmeOrg(t)
		sink := &webhookSink{secret: o.Integrations[0].WebhookSecret}
		em, c := webhookSetup(t, o, emulator.Options{WebhookConversationID: on}, sink)
		res := handOver(t, c, o)
		ctx := context.Background()
		if err := em.AgentJoin(ctx, res.ConversationID, "Bob"); err != nil {
			t.Fatal(err)
		}
		if err := em.AgentSay(ctx, res.ConversationID, "Hi"); err != nil {
			t.Fatal(err)
		}
		sink.mu.Lock()
		raw := string(sink.raw[0])
		sink.mu.Unlock()
		if has := strings.Contains(raw, `"conversationId":"`+res.ConversationID+`"`); has != on || (!on && strings.Contains(raw, "conversationId")) {
			t.Errorf("WebhookConversationID %v: %s", on, raw)
		}
	}
}

// ReplaceParticipant routed: the inbound flow's participant cannot be
// replaced (400); once the flow routed the conversation, the acd's can.
// TransferStatus 204 answers so, and the client takes it.
func TestSwitchReplaceParticipant(t *testing.T) {
	o := acmeOrg(t)
	em, c, _ := emulate(t, o, emulator.Options{ReplaceParticipant: emulator.ReplaceRouted, TransferStatus: http.StatusNoContent, ParticipantDelay: -1}, nil)
	ctx := context.Background()
	tok := token(t, em, o)
	res, err := c.SendOpenMessage(ctx, o.Integrations[0].ID, genesys.OpenInboundMessage{Channel: genesys.OpenInboundChannel{MessageID: "m1", From: customer()}, Text: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	replace := func(purpose string) (int, string) {
		t.Helper()
		mc, err := c.MessageConversation(ctx, res.ConversationID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range mc.Participants {
			if p.Purpose == purpose && p.State == genesys.StateConnected {
				return emuPost(t, em, tok, "/api/v2/conversations/"+res.ConversationID+"/participants/"+p.ID+"/replace/queue", `{"queueId":"`+o.Queue("Billing Support").ID+`"}`)
			}
		}
		t.Fatalf("no connected %s participant in %+v", purpose, mc.Participants)
		return 0, ""
	}
	if status, body := replace(genesys.PurposeWorkflow); status != 400 || !strings.Contains(body, "The conversation is in a flow") {
		t.Fatalf("from the flow: HTTP %d %s", status, body)
	}
	if err := em.RouteFromFlow(ctx, res.ConversationID, "Support EN"); err != nil {
		t.Fatal(err)
	}
	if err := em.RouteFromFlow(ctx, res.ConversationID, "Support EN"); err == nil || !strings.Contains(err.Error(), "only a conversation its inbound flow holds") {
		t.Fatalf("routed twice: %v", err)
	}
	if status, body := replace(genesys.PurposeACD); status != 204 || body != "" {
		t.Fatalf("from the acd: HTTP %d %q", status, body)
	}
	if got := em.MessagingConversations()[0].Queue.Name; got != "Billing Support" {
		t.Fatalf("queue %q", got)
	}
	// The client takes 204 as well as 202.
	if err := c.MoveToQueue(ctx, res.ConversationID, genesys.Queue{ID: o.Queue("Support DE").ID, Name: "Support DE"}); err != nil {
		t.Fatal(err)
	}
}

// MessageConversationPermission: GET .../messages/{id} needs it.
func TestSwitchMessageConversationPermission(t *testing.T) {
	o := acmeOrg(t)
	_, c, _ := emulate(t, o, emulator.Options{MessageConversationPermission: "conversation:communication:view"}, nil)
	_, err := c.MessageConversation(context.Background(), "c1")
	var ae *genesys.APIError
	if !errors.As(err, &ae) || ae.Status != 403 || ae.Code != "missing.permissions" || !strings.Contains(ae.Message, "[conversation:communication:view]") {
		t.Fatalf("without the permission: %v", err)
	}
	o.Roles[0].Permissions = append(o.Roles[0].Permissions, "conversation:communication:view")
	_, c, _ = emulate(t, o, emulator.Options{MessageConversationPermission: "conversation:communication:view"}, nil)
	if _, err := c.MessageConversation(context.Background(), "c1"); !errors.As(err, &ae) || ae.Status != 404 {
		t.Fatalf("with the permission: %v", err)
	}
}
