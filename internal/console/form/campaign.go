// Package form reads and checks the console's forms. Problems are keys of
// the locale catalogues, by field, so each is shown next to its field in
// the person's language.
package form

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/citizenspanel/panel/internal/panel"
)

// Campaign is the new-campaign form as typed.
type Campaign struct {
	Name           string
	InvitationText string
	ReplyBy        string // YYYY-MM-DD or ""
	SendRate       string // messages per second, "" for the default
	QuietHours     string // HH:MM-HH:MM, "" for none
	Nonce          string // once-only token of this form
}

// Errors are problems by field name; the values are catalogue keys.
type Errors map[string]string

// NewCampaign is the empty form with the campaign defaults filled in.
func NewCampaign() Campaign {
	return Campaign{SendRate: "10", QuietHours: panel.DefaultQuietHours}
}

// ReadCampaign reads the form's fields from values.
func ReadCampaign(v url.Values) Campaign {
	return Campaign{
		Name:           strings.TrimSpace(v.Get("name")),
		InvitationText: strings.ReplaceAll(strings.TrimSpace(v.Get("invitation_text")), "\r\n", "\n"),
		ReplyBy:        strings.TrimSpace(v.Get("reply_by")),
		SendRate:       strings.TrimSpace(v.Get("send_rate")),
		QuietHours:     strings.TrimSpace(v.Get("quiet_hours")),
		Nonce:          v.Get("nonce"),
	}
}

// Validate checks what the form can check by itself; the domain checks
// the rest when saving (placeholders, lengths).
func (f Campaign) Validate() Errors {
	errs := Errors{}
	switch {
	case f.Name == "":
		errs["name"] = "form.required"
	case utf8.RuneCountInString(f.Name) > 200:
		errs["name"] = "form.too_long"
	}
	if f.InvitationText == "" {
		errs["invitation_text"] = "form.required"
	}
	if f.ReplyBy != "" {
		if _, err := time.Parse(time.DateOnly, f.ReplyBy); err != nil {
			errs["reply_by"] = "form.bad_date"
		}
	}
	if f.SendRate != "" {
		r, err := strconv.ParseFloat(strings.Replace(f.SendRate, ",", ".", 1), 64)
		if err != nil || r <= 0 || r > 100 {
			errs["send_rate"] = "form.bad_rate"
		}
	}
	if f.QuietHours != "" && !quietHours(f.QuietHours) {
		errs["quiet_hours"] = "form.bad_quiet"
	}
	return errs
}

// quietHours reports whether s is HH:MM-HH:MM.
func quietHours(s string) bool {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return false
	}
	_, e1 := time.Parse("15:04", from)
	_, e2 := time.Parse("15:04", to)
	return e1 == nil && e2 == nil
}

// Campaign returns the campaign the form describes, from the domain's
// defaults. Call it on a form without Errors.
func (f Campaign) Campaign() *panel.Campaign {
	c := panel.NewCampaign()
	c.Name, c.InvitationText, c.ReplyBy, c.QuietHours = f.Name, f.InvitationText, f.ReplyBy, f.QuietHours
	if r, err := strconv.ParseFloat(strings.Replace(f.SendRate, ",", ".", 1), 64); err == nil {
		c.SendRate = r
	}
	return c
}

// FromCampaign is the form filled with c's settings, for editing.
func FromCampaign(c *panel.Campaign) Campaign {
	return Campaign{
		Name: c.Name, InvitationText: c.InvitationText, ReplyBy: c.ReplyBy, QuietHours: c.QuietHours,
		SendRate: strconv.FormatFloat(c.SendRate, 'f', -1, 64),
	}
}
