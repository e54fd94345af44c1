package serve

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/genesys/emulator"
	"github.com/flowctl/flowctl/genesys/org"
)

// fastPolls makes the polls of tests quick.
var fastPolls = lifecycleOptions{poll: genesys.PollerOptions{MinInterval: 20 * time.Millisecond, MaxInterval: 200 * time.Millisecond, Budget: 100000}}

// sources are the lifecycle sources a test runs on: notifications, and
// polling where Genesys refuses them.
var sources = []struct {
	name   string
	notify string
	says   string // what /healthz says
}{
	{"notifications", emulator.NotifyAll, "lifecycle: notifications\n"},
	{"queue topics only", emulator.NotifyQueue, "lifecycle: notifications (queue topics; conversation topics refused"},
	{"conversation topics only", emulator.NotifyConversation, "lifecycle: notifications (conversation topics; queue topics refused)\n"},
	{"topics refused", emulator.NotifyRefused, "lifecycle: polling GET /api/v2/conversations/messages/{id} (notification topics refused)\n"},
	{"channel refused", emulator.NotifyUnavailable, "lifecycle: polling GET /api/v2/conversations/messages/{id} (notifications unavailable: POST /api/v2/notifications/channels: HTTP 403 not.authorized"},
}

// The whole lifecycle on each source: the agent joins, transfers to an
// agent and to a queue, writes, and ends: the bot resumes. /healthz and
// the log say which source is in use.
func TestLifecycleOnEachSource(t *testing.T) {
	for _, src := range sources {
		t.Run(src.name, func(t *testing.T) {
			h := start(t, Options{emulator: emulator.Options{Notifications: src.notify}, lifecycle: fastPolls})
			ctx := context.Background()
			p := h.open(t, "")
			handOver(t, p)
			conv := h.conversation(t).ID
			if _, body := h.get(t, "/healthz", ""); !strings.HasPrefix(body, "ok\n"+src.says) {
				t.Fatalf("/healthz says %q, want %q", body, src.says)
			}
			if !strings.Contains(h.log.String(), "conversation lifecycle: "+strings.TrimSuffix(strings.TrimPrefix(src.says, "lifecycle: "), "\n")) {
				t.Fatalf("the log does not say the source:\n%s", h.log)
			}
			step := func(what string, do func() error) {
				t.Helper()
				if err := do(); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			}
			step("join", func() error { return h.em.AgentJoin(ctx, conv, "Alice") })
			p.waitState("agent")
			p.waitEntry(roleSystem, `Alice joined from queue "Billing Support"`)
			step("say", func() error { return h.em.AgentSay(ctx, conv, "Hi Ann") })
			if e := p.waitEntry(roleAgent, "Hi Ann"); e.Name != "Alice" {
				t.Fatalf("agent entry %+v", e)
			}
			step("transfer to Bob", func() error { return h.em.AgentTransferToAgent(ctx, conv, "Bob") })
			p.waitEntry(roleSystem, "Alice transferred the chat to Bob")
			p.waitEntry(roleSystem, `agent transferred the chat to agent "Bob"; waiting for them to join`)
			p.waitState("queued")
			step("Bob accepts", func() error { return h.em.AgentJoin(ctx, conv, "Bob") })
			p.waitEntry(roleSystem, `Bob joined from queue "Billing Support"`)
			p.waitState("agent")
			step("transfer to Support EN", func() error { return h.em.AgentTransfer(ctx, conv, "Support EN") })
			p.until("the transfer", func() bool { return p.state.State == "queued" && p.state.Queue == "Support EN" })
			step("join", func() error { return h.em.AgentJoin(ctx, conv, "Bob") })
			p.waitEntry(roleSystem, `Bob joined from queue "Support EN"`)
			step("close", func() error { return h.em.AgentClose(ctx, conv) })
			p.waitEntry(roleBot, "Thanks Ann. Anything else?")
			p.waitState("bot")
		})
	}
}

// Genesys ends a conversation for inactivity, queued or with an agent,
// whichever disconnectType it uses: the chat closes, genesys-timeout.
func TestGenesysTimeout(t *testing.T) {
	for _, tt := range []struct {
		name, disconnect string
		join             bool
		notify           string
	}{
		{"queued, notifications", "timeout", false, emulator.NotifyAll},
		{"with an agent, polling", "timeout", true, emulator.NotifyRefused},
		{"inactivity", "inactivity", true, emulator.NotifyAll},
		{"system, polling", "system", false, emulator.NotifyUnavailable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, Options{emulator: emulator.Options{Notifications: tt.notify, TimeoutDisconnectType: tt.disconnect}, lifecycle: fastPolls})
			p := h.open(t, "")
			handOver(t, p)
			conv := h.conversation(t).ID
			if tt.join {
				if err := h.em.AgentJoin(context.Background(), conv, "Alice"); err != nil {
					t.Fatal(err)
				}
				p.waitState("agent")
			}
			if err := h.em.ExpireConversation(context.Background(), conv); err != nil {
				t.Fatal(err)
			}
			p.waitState("closed: genesys-timeout")
		})
	}
}

// When the agent's end leaves the customer connected (an emulator switch),
// the bot resuming ends the conversation in Genesys.
func TestResumeEndsTheConversation(t *testing.T) {
	h := start(t, Options{emulator: emulator.Options{AgentEndKeepsCustomer: true}, lifecycle: fastPolls})
	p := h.open(t, "")
	handOver(t, p)
	conv := h.conversation(t).ID
	if err := h.em.AgentJoin(context.Background(), conv, "Alice"); err != nil {
		t.Fatal(err)
	}
	p.waitState("agent")
	if err := h.em.AgentClose(context.Background(), conv); err != nil {
		t.Fatal(err)
	}
	p.waitState("bot")
	waitUntil(t, "the customer participant to be disconnected", func() bool {
		c, err := h.em.Participants(conv)
		return err == nil && customerGone(&c)
	})
	if !slices.Contains(h.em.RequestLog(), "PATCH /api/v2/conversations/messages/"+conv) {
		t.Fatalf("requests %v", h.em.RequestLog())
	}
}

// The agent ended the conversation, but before the lifecycle tells the
// chat, the customer writes: Genesys starts a new conversation, which the
// chat follows into its queue; the old one's end no longer matters.
func TestFollowNewConversation(t *testing.T) {
	h := start(t, Options{lifecycle: fastPolls})
	ctx := context.Background()
	p := h.open(t, "")
	handOver(t, p)
	old := h.conversation(t).ID
	if err := h.em.AgentJoin(ctx, old, "Alice"); err != nil {
		t.Fatal(err)
	}
	p.waitState("agent")
	lc := h.s.bridge.(*openMessaging).lc
	lc.paused.Store(true)
	if err := h.em.AgentClose(ctx, old); err != nil {
		t.Fatal(err)
	}
	p.say("are you still there?")
	p.waitEntry(roleSystem, `Genesys started a new conversation for this message (the previous one ended on its side); it goes to queue "Billing Support"`)
	p.until("queued again", func() bool { return p.state.State == "queued" && p.state.Queue == "Billing Support" })
	lc.paused.Store(false)
	conv := h.conversation(t)
	if conv.ID == old || conv.State != emulator.ConversationQueued || conv.Queue.Name != "Billing Support" || lastCustomerText(conv) != "are you still there?" {
		t.Fatalf("the new conversation %+v", conv)
	}
	if conv.Attributes["customerName"] != "Ann" {
		t.Fatalf("the attributes did not follow: %v", conv.Attributes)
	}
	if err := h.em.AgentJoin(ctx, conv.ID, "Alice"); err != nil {
		t.Fatal(err)
	}
	p.until("Alice again", func() bool {
		n := 0
		for _, e := range p.events {
			if e.Kind == "agent-join" {
				n++
			}
		}
		return n == 2 && p.state.State == "agent"
	})
	if err := h.em.AgentSay(ctx, conv.ID, "back again"); err != nil {
		t.Fatal(err)
	}
	p.waitEntry(roleAgent, "back again")
}

func lastCustomerText(c emulator.Conversation) string {
	for i := len(c.Messages) - 1; i >= 0; i-- {
		if c.Messages[i].From == "customer" {
			return c.Messages[i].Text
		}
	}
	return ""
}

// A notification socket that drops is reopened, the conversations read
// again: nothing is lost.
func TestNotificationSocketDropped(t *testing.T) {
	h := start(t, Options{})
	p := h.open(t, "")
	handOver(t, p)
	conv := h.conversation(t).ID
	h.em.DropNotificationSockets()
	if err := h.em.AgentJoin(context.Background(), conv, "Alice"); err != nil {
		t.Fatal(err)
	}
	p.waitState("agent")
	waitUntil(t, "the log to tell", func() bool { return strings.Contains(h.log.String(), "notification socket reopened") })
}

// In real mode serve reads its client's grants and names each permission
// of the bridge's it lacks, with the call that needs it; unreadable grants
// are said so.
func TestCheckPermissions(t *testing.T) {
	check := func(o *org.File) ([]genesys.BridgeNeed, string) {
		t.Helper()
		h, _ := startReal(t, o, Options{})
		missing, note, err := h.s.CheckPermissions(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return missing, note
	}
	// The bot client may not read its own grants.
	if missing, note := check(loadAcmeOrg(t)); missing != nil || !strings.Contains(note, "oauth:client:view") {
		t.Fatalf("missing %v, note %q", missing, note)
	}
	o := loadAcmeOrg(t)
	o.Roles = append(o.Roles, org.Role{Name: "Reader", ID: "reader", Permissions: []string{genesys.PermClientView, genesys.PermRoleView}})
	o.OAuthClients[0].RoleDivisions = append(o.OAuthClients[0].RoleDivisions, org.RoleDivision{Role: "Reader", Division: "Home"})
	o.Role("Chat bridge").Permissions = nil
	missing, note := check(o)
	if note != "" || len(missing) != 1 || missing[0].Call != "PATCH /api/v2/conversations/messages/{id}" {
		t.Fatalf("missing %+v, note %q", missing, note)
	}
}
