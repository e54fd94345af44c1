package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/flowctl/flowctl/genesys"
	"github.com/flowctl/flowctl/internal/suggest"
)

// The switches of Options a user sets by name (flowctl serve
// --emulator-option NAME=VALUE): every behaviour of real Genesys flowctl
// could not confirm, so that a user who meets another real behaviour can
// give the emulator that one. Test hooks (clocks, page counts) are not
// switches.

// Switch is one settable field of Options.
type Switch struct {
	Name    string   // the Options field
	Takes   string   // the values it takes, for help and errors
	Default string   // its default, as written
	Values  []string // the values a shell completes; nil when open
	set     func(o *Options, v string) error
}

// switches are the settable fields, sorted by name.
var switches = []Switch{
	{Name: "AgentEndKeepsCustomer", Takes: "true or false", Default: "false", Values: bools, set: func(o *Options, v string) (err error) {
		o.AgentEndKeepsCustomer, err = parseBool(v)
		return err
	}},
	{Name: "ChannelTTL", Takes: "a positive duration, e.g. 10m", Default: "24h", set: func(o *Options, v string) (err error) {
		o.ChannelTTL, err = parsePositiveDuration(v)
		return err
	}},
	{Name: "HeartbeatInterval", Takes: "a positive duration, e.g. 30s", Default: "30s", set: func(o *Options, v string) (err error) {
		o.HeartbeatInterval, err = parsePositiveDuration(v)
		return err
	}},
	{Name: "HiddenQueueStatus", Takes: "403 or 404", Default: "403", Values: []string{"403", "404"}, set: func(o *Options, v string) (err error) {
		o.HiddenQueueStatus, err = parseStatus(v, http.StatusForbidden, http.StatusNotFound)
		return err
	}},
	{Name: "InboundStatus", Takes: "200 or 202", Default: "200", Values: []string{"200", "202"}, set: func(o *Options, v string) (err error) {
		o.InboundStatus, err = parseStatus(v, http.StatusOK, http.StatusAccepted)
		return err
	}},
	{Name: "MessageConversationPermission", Takes: "a permission domain:entity:action, or none", Default: "none", set: func(o *Options, v string) error {
		if v == "none" || v == "" {
			o.MessageConversationPermission = ""
			return nil
		}
		parts := genesys.SplitPermission(v)
		if strings.Count(v, ":") != 2 || slices.Contains(parts[:], "") || strings.ContainsAny(v, " \t") {
			return fmt.Errorf("want a permission domain:entity:action, or none")
		}
		o.MessageConversationPermission = v
		return nil
	}},
	{Name: "Notifications", Takes: "all, queue, conversation, refused or unavailable", Default: NotifyAll,
		Values: []string{NotifyAll, NotifyQueue, NotifyConversation, NotifyRefused, NotifyUnavailable}, set: func(o *Options, v string) (err error) {
			o.Notifications, err = oneOf(v, NotifyAll, NotifyQueue, NotifyConversation, NotifyRefused, NotifyUnavailable)
			return err
		}},
	{Name: "ParticipantDelay", Takes: "a duration, 0 for at once", Default: "100ms", set: func(o *Options, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return fmt.Errorf("want a duration such as 500ms, 0 for at once")
		}
		if d == 0 {
			d = -1 // Options: negative means at once
		}
		o.ParticipantDelay = d
		return nil
	}},
	{Name: "QueueNameCaseSensitive", Takes: "true or false", Default: "false", Values: bools, set: func(o *Options, v string) (err error) {
		o.QueueNameCaseSensitive, err = parseBool(v)
		return err
	}},
	{Name: "ReplaceParticipant", Takes: "holder or routed", Default: ReplaceHolder, Values: []string{ReplaceHolder, ReplaceRouted}, set: func(o *Options, v string) (err error) {
		o.ReplaceParticipant, err = oneOf(v, ReplaceHolder, ReplaceRouted)
		return err
	}},
	{Name: "SubjectsMe", Takes: "error, empty or grants", Default: "error", Values: []string{"error", "empty", "grants"}, set: func(o *Options, v string) (err error) {
		o.SubjectsMe, err = oneOf(v, "error", "empty", "grants")
		return err
	}},
	{Name: "TimeoutDisconnectType", Takes: "a disconnectType, e.g. timeout, inactivity or system", Default: "timeout",
		Values: []string{"timeout", "inactivity", "system"}, set: func(o *Options, v string) error {
			if v == "" || strings.ContainsAny(v, " \t\"") {
				return fmt.Errorf("want a disconnectType, e.g. timeout, inactivity or system")
			}
			o.TimeoutDisconnectType = v
			return nil
		}},
	{Name: "TokenRoleDivisions", Takes: "true or false", Default: "false", Values: bools, set: func(o *Options, v string) (err error) {
		o.TokenRoleDivisions, err = parseBool(v)
		return err
	}},
	{Name: "TransferStatus", Takes: "202 or 204", Default: "202", Values: []string{"202", "204"}, set: func(o *Options, v string) (err error) {
		o.TransferStatus, err = parseStatus(v, http.StatusAccepted, http.StatusNoContent)
		return err
	}},
	{Name: "WebhookConversationID", Takes: "true or false", Default: "false", Values: bools, set: func(o *Options, v string) (err error) {
		o.WebhookConversationID, err = parseBool(v)
		return err
	}},
	{Name: "WebhookRetries", Takes: "a number of retries from 0 to 10", Default: "5", set: func(o *Options, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 10 {
			return fmt.Errorf("want a number of retries from 0 to 10")
		}
		if n == 0 {
			n = -1 // Options: negative means none
		}
		o.WebhookRetries = n
		return nil
	}},
	{Name: "WebhookRetryWait", Takes: "a positive duration, e.g. 5s", Default: "5s", set: func(o *Options, v string) (err error) {
		o.WebhookRetryWait, err = parsePositiveDuration(v)
		return err
	}},
	{Name: "WebhookTimeout", Takes: "a positive duration, e.g. 10s", Default: "10s", set: func(o *Options, v string) (err error) {
		o.WebhookTimeout, err = parsePositiveDuration(v)
		return err
	}},
}

var bools = []string{"true", "false"}

// Switches returns the settable fields of Options, sorted by name.
func Switches() []Switch { return slices.Clone(switches) }

// Set sets the switch named name (case does not matter) to value. An
// unknown name is an error that says which switch was probably meant; a
// value the switch does not take, one that says what it takes.
func (o *Options) Set(name, value string) error {
	i := slices.IndexFunc(switches, func(s Switch) bool { return strings.EqualFold(s.Name, name) })
	if i < 0 {
		names := make([]string, len(switches))
		for j, s := range switches {
			names[j] = s.Name
		}
		msg := fmt.Sprintf("no emulator switch %q", name)
		if c := suggest.Closest(name, names); c != "" {
			msg += fmt.Sprintf("; did you mean %q?", c)
		} else {
			msg += " (have " + strings.Join(names, ", ") + ")"
		}
		return fmt.Errorf("%s", msg)
	}
	s := switches[i]
	if err := s.set(o, value); err != nil {
		return fmt.Errorf("%s takes %s, not %q", s.Name, s.Takes, value)
	}
	return nil
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("want true or false")
}

func parsePositiveDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("want a positive duration")
	}
	return d, nil
}

func parseStatus(v string, allowed ...int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || !slices.Contains(allowed, n) {
		return 0, fmt.Errorf("want one of %v", allowed)
	}
	return n, nil
}

func oneOf(v string, allowed ...string) (string, error) {
	if !slices.Contains(allowed, v) {
		return "", fmt.Errorf("want one of %v", allowed)
	}
	return v, nil
}
