package invite

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
)

// Warnings lists what in campaign c is allowed but most likely a mistake,
// as sentences an organiser reads: an invitation that does not tell people
// what to answer (neither {keyword} nor the keyword itself), and a reply_by
// date before today (today is the date of now, which the caller gives in
// PANEL_TIMEZONE). nil when there is nothing to say.
func (t Texts) Warnings(c *panel.Campaign, now time.Time) []string {
	t = t.withDefaults()
	var out []string
	if !asksForKeyword(c.InvitationText, t.Keyword) {
		out = append(out, fmt.Sprintf("invitation_text does not say how to answer: without {%s} or %q in it, people do not know to reply %s",
			smstext.Keyword, t.Keyword, t.Keyword))
	}
	if d, err := panel.ParseReplyBy(c.ReplyBy); err == nil && !d.IsZero() {
		today := now.Format(time.DateOnly)
		if c.ReplyBy < today {
			out = append(out, fmt.Sprintf("reply_by %s is in the past (today is %s): {deadline} will show a date that has gone", c.ReplyBy, today))
		}
	}
	return out
}

// asksForKeyword reports whether text holds the {keyword} placeholder or
// the keyword as a word of its own, in any case.
func asksForKeyword(text, keyword string) bool {
	if strings.Contains(text, "{"+smstext.Keyword+"}") {
		return true
	}
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, w := range words {
		if strings.EqualFold(w, keyword) {
			return true
		}
	}
	return false
}

// CampaignWarnings implements panel.InvitationService.
func (s *Service) CampaignWarnings(c *panel.Campaign, now time.Time) []string {
	return s.texts.Warnings(c, now)
}
