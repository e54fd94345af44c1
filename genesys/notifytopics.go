package genesys

import (
	"context"
	"slices"
)

// The topics of a NotificationStream: subscribed, remembered, and
// subscribed again on every new channel.

// Subscribe adds topics to the channel and returns Genesys's verdict on
// each new one; the permitted ones are subscribed again on every new
// channel. A failed request is an error (nothing was added).
func (s *NotificationStream) Subscribe(ctx context.Context, topics []string) ([]ChannelTopic, error) {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	s.mu.Lock()
	var add []string
	for _, t := range topics {
		if !s.topics[t] && !slices.Contains(add, t) {
			add = append(add, t)
		}
	}
	id := s.ch.ID
	s.mu.Unlock()
	if len(add) == 0 {
		return nil, nil
	}
	res, err := s.c.SubscribeTopics(ctx, id, add, false)
	if err != nil {
		return nil, err
	}
	return s.record(add, res), nil
}

// record keeps the permitted topics of asked and returns the verdict on
// each; a topic the answer does not list was not taken.
func (s *NotificationStream) record(asked []string, res []ChannelTopic) []ChannelTopic {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ChannelTopic, 0, len(asked))
	for _, t := range asked {
		i := slices.IndexFunc(res, func(ct ChannelTopic) bool { return ct.ID == t })
		if i < 0 {
			out = append(out, ChannelTopic{ID: t, State: TopicRejected, RejectionReason: "not in Genesys's answer"})
			continue
		}
		ct := res[i]
		if ct.State == "" || ct.State == TopicPermitted {
			ct.State = TopicPermitted
			s.topics[t] = true
		}
		out = append(out, ct)
	}
	return out
}

// Unsubscribe removes topics: the channel's list is replaced by the
// remaining ones.
func (s *NotificationStream) Unsubscribe(ctx context.Context, topics []string) error {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	s.mu.Lock()
	changed := false
	for _, t := range topics {
		if s.topics[t] {
			delete(s.topics, t)
			changed = true
		}
	}
	id, keep := s.ch.ID, s.topicListLocked()
	s.mu.Unlock()
	if !changed {
		return nil
	}
	_, err := s.c.SubscribeTopics(ctx, id, keep, true)
	return err
}

func (s *NotificationStream) topicListLocked() []string {
	out := make([]string, 0, len(s.topics))
	for t := range s.topics {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// replaceChannel creates a new channel and subscribes the topics on it.
func (s *NotificationStream) replaceChannel() error {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	ch, err := s.c.CreateChannel(s.ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	topics := s.topicListLocked()
	s.mu.Unlock()
	if len(topics) > 0 {
		res, err := s.c.SubscribeTopics(s.ctx, ch.ID, topics, true)
		if err != nil {
			return err
		}
		s.mu.Lock()
		for _, t := range topics {
			if i := slices.IndexFunc(res, func(ct ChannelTopic) bool { return ct.ID == t }); i < 0 || (res[i].State != "" && res[i].State != TopicPermitted) {
				delete(s.topics, t)
			}
		}
		s.mu.Unlock()
	}
	s.mu.Lock()
	s.ch = *ch
	s.mu.Unlock()
	return nil
}

// Topics returns the permitted topics, sorted.
func (s *NotificationStream) Topics() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.topics))
	for t := range s.topics {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// Has reports whether topic is subscribed (and was permitted).
func (s *NotificationStream) Has(topic string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.topics[topic]
}
