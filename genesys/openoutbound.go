package genesys

import "strings"

// What Genesys posts to an Open Messaging integration's outbound webhook:
// OpenOutboundNormalizedMessage (the schema in genesys-api.md §8), whose
// channel is OpenMessagingChannel, events OpenMessageEvent and content
// items ConversationMessageContent (quickReply, card, carousel).

// Outbound message types: the webhook's only types. Event carries typing
// and nothing else (OpenMessageEvent.eventType is Typing only).
const (
	OpenTypeText       = "Text"
	OpenTypeStructured = "Structured"
	OpenTypeReceipt    = "Receipt"
	OpenTypeEvent      = "Event"
)

// OpenOutboundChannel is the channel of a webhook message
// (OpenMessagingChannel).
type OpenOutboundChannel struct {
	ID        string          `json:"id"` // the integration id
	Platform  string          `json:"platform"`
	Type      string          `json:"type"`
	MessageID string          `json:"messageId,omitempty"`
	To        OpenMessageFrom `json:"to"`
	From      OpenMessageFrom `json:"from"` // the integration, not the agent
	Time      string          `json:"time"`
}

// OpenOutboundMessage is one webhook message: an agent's Text or
// Structured message (quick replies, cards), a Receipt, or a typing Event.
// Channel.From.Nickname names the integration: the agent's name comes from
// the conversation's agent participant.
type OpenOutboundMessage struct {
	ID                string              `json:"id"`
	Channel           OpenOutboundChannel `json:"channel"`
	ConversationID    string              `json:"conversationId,omitempty"` // not in the schema; in captured payloads: may be absent
	Direction         string              `json:"direction"`                // "Outbound"
	OriginatingEntity string              `json:"originatingEntity,omitempty"`
	Type              string              `json:"type"`
	Text              string              `json:"text,omitempty"`
	Content           []OpenContent       `json:"content,omitempty"`
	Events            []OpenEvent         `json:"events,omitempty"`
	Status            string              `json:"status,omitempty"` // Receipt: Delivered, Failed, ...
}

// OpenContent is one content element (ConversationMessageContent).
type OpenContent struct {
	ContentType string          `json:"contentType"` // QuickReply, Card, Carousel, Attachment, ...
	QuickReply  *OpenQuickReply `json:"quickReply,omitempty"`
	Card        *OpenCard       `json:"card,omitempty"`
	Carousel    *OpenCarousel   `json:"carousel,omitempty"`
}

// OpenQuickReply is ConversationContentQuickReply.
type OpenQuickReply struct {
	Text    string `json:"text"`
	Payload string `json:"payload,omitempty"`
	Action  string `json:"action,omitempty"` // Message
}

// OpenCard is ConversationContentCard.
type OpenCard struct {
	Title         string           `json:"title,omitempty"`
	Description   string           `json:"description,omitempty"`
	Image         string           `json:"image,omitempty"`
	DefaultAction *OpenCardAction  `json:"defaultAction,omitempty"`
	Actions       []OpenCardAction `json:"actions,omitempty"`
}

// OpenCardAction is ConversationContentCardAction: a Button (answers with
// its text) or a Link.
type OpenCardAction struct {
	Type    string `json:"type"` // Button or Link
	Text    string `json:"text,omitempty"`
	Payload string `json:"payload,omitempty"`
	URL     string `json:"url,omitempty"`
}

// OpenCarousel is ConversationContentCarousel.
type OpenCarousel struct {
	Cards []OpenCard `json:"cards"`
}

// OpenEvent is OpenMessageEvent: eventType Typing only.
type OpenEvent struct {
	EventType string      `json:"eventType"`
	Typing    *OpenTyping `json:"typing,omitempty"`
}

// OpenTyping is ConversationEventTyping.
type OpenTyping struct {
	Type     string `json:"type"` // On
	Duration int    `json:"duration,omitempty"`
}

// Display returns what a customer sees of an agent message: its text
// (for a card without text, the card's title and description) and the
// answers it offers (quick replies, card buttons). ok is false for
// messages that show nothing (receipts, typing, empty messages).
func (m *OpenOutboundMessage) Display() (text string, replies []string, ok bool) {
	if m.Type != OpenTypeText && m.Type != OpenTypeStructured {
		return "", nil, false
	}
	parts := []string{}
	if t := strings.TrimSpace(m.Text); t != "" {
		parts = append(parts, t)
	}
	card := func(c *OpenCard) {
		if strings.TrimSpace(m.Text) == "" {
			for _, s := range []string{c.Title, c.Description} {
				if s = strings.TrimSpace(s); s != "" {
					parts = append(parts, s)
				}
			}
		}
		for _, a := range c.Actions {
			if a.Type != "Link" && strings.TrimSpace(a.Text) != "" {
				replies = append(replies, a.Text)
			}
		}
	}
	for _, c := range m.Content {
		switch {
		case c.QuickReply != nil && strings.TrimSpace(c.QuickReply.Text) != "":
			replies = append(replies, c.QuickReply.Text)
		case c.Card != nil:
			card(c.Card)
		case c.Carousel != nil:
			for i := range c.Carousel.Cards {
				card(&c.Carousel.Cards[i])
			}
		}
	}
	text = strings.Join(parts, "\n")
	return text, replies, text != "" || len(replies) > 0
}
