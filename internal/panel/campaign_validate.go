package panel

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Campaign limits checked by Validate.
const (
	MaxCampaignNameLength = 200 // characters
	MaxSendRate           = 100.0
)

// NewCampaign returns a campaign holding every default. Decode a request
// into it so that fields the request leaves out keep their defaults while an
// explicit "quiet_hours": "" still turns quiet hours off.
func NewCampaign() *Campaign {
	return &Campaign{
		Templates:  map[string]string{},
		SendRate:   DefaultSendRate,
		QuietHours: DefaultQuietHours,
		State:      CampaignDraft,
	}
}

// Validate checks a campaign's settings and returns an EINVALID error whose
// message names the JSON field at fault.
func (c *Campaign) Validate() error {
	n := utf8.RuneCountInString(c.Name)
	switch {
	case strings.TrimSpace(c.Name) == "":
		return Errorf(EINVALID, "name is required")
	case n > MaxCampaignNameLength:
		return Errorf(EINVALID, "name must be at most %d characters, got %d", MaxCampaignNameLength, n)
	case strings.TrimSpace(c.InvitationText) == "":
		return Errorf(EINVALID, "invitation_text is required")
	case math.IsNaN(c.SendRate) || c.SendRate <= 0 || c.SendRate > MaxSendRate:
		return Errorf(EINVALID, "send_rate must be between 0 and %g, got %g", MaxSendRate, c.SendRate)
	}
	if _, err := ParseQuietHours(c.QuietHours); err != nil {
		return err
	}
	if _, err := ParseReplyBy(c.ReplyBy); err != nil {
		return err
	}
	if _, err := c.AgeBandsOrDefault(); err != nil {
		return err
	}
	for kind, text := range c.Templates {
		if strings.TrimSpace(kind) == "" {
			return Errorf(EINVALID, "templates must not have an empty key")
		}
		if strings.TrimSpace(text) == "" {
			return Errorf(EINVALID, "templates.%s must not be empty", kind)
		}
	}
	switch c.State {
	case "", CampaignDraft, CampaignSending, CampaignPaused, CampaignClosed:
	default:
		return Errorf(EINVALID, "state must be one of draft, sending, paused, closed, got %q", c.State)
	}
	return nil
}

// AgeBandsOrDefault returns the campaign's age bands parsed, or
// DefaultAgeBands when it sets none; EINVALID naming age_bands.
func (c *Campaign) AgeBandsOrDefault() ([]Band, error) {
	if len(c.AgeBands) == 0 {
		return DefaultAgeBands(), nil
	}
	return ParseAgeBands(c.AgeBands)
}

// QuietHours is a daily period in which no messages are sent, as minutes
// after midnight. Start > End means it wraps midnight (e.g. 20:00-08:00).
// The zero value (Off true) means no quiet hours.
type QuietHours struct {
	Off        bool
	Start, End int // minutes after midnight, 0..1439
}

// ParseQuietHours parses "" (no quiet hours) or "HH:MM-HH:MM" with valid
// 24-hour clock times that differ. Errors are EINVALID naming quiet_hours.
func ParseQuietHours(s string) (QuietHours, error) {
	if s == "" {
		return QuietHours{Off: true}, nil
	}
	bad := Errorf(EINVALID, `quiet_hours must be "" or "HH:MM-HH:MM" with valid clock times, got %q`, s)
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return QuietHours{}, bad
	}
	start, err1 := parseClock(from)
	end, err2 := parseClock(to)
	if err1 != nil || err2 != nil {
		return QuietHours{}, bad
	}
	if start == end {
		return QuietHours{}, Errorf(EINVALID, "quiet_hours must start and end at different times, got %q", s)
	}
	return QuietHours{Start: start, End: end}, nil
}

// Contains reports whether the wall-clock time of t (in t's location) falls
// in the quiet hours. Start is inside, End is outside.
func (q QuietHours) Contains(t time.Time) bool {
	if q.Off {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	if q.Start < q.End {
		return m >= q.Start && m < q.End
	}
	return m >= q.Start || m < q.End
}

// parseClock parses exactly "HH:MM" (00:00 to 23:59) into minutes.
func parseClock(s string) (int, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("clock time %q is not HH:MM", s)
	}
	for i, c := range s {
		if i != 2 && (c < '0' || c > '9') {
			return 0, fmt.Errorf("clock time %q is not HH:MM", s)
		}
	}
	h = int(s[0]-'0')*10 + int(s[1]-'0')
	m = int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, fmt.Errorf("clock time %q is out of range", s)
	}
	return h*60 + m, nil
}

// ParseReplyBy parses a campaign's reply_by: "" (no deadline) or a
// calendar date "YYYY-MM-DD". The zero time stands for no deadline.
func ParseReplyBy(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "reply_by must be a date YYYY-MM-DD (or \"\" for none), got %q", s)
	}
	return d, nil
}
