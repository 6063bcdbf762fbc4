package reminder

import (
	"fmt"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
)

// Template keys in a campaign's templates.
const (
	TemplateReminder  = "meeting_reminder"  // a reminder before a meeting
	TemplateChanged   = "meeting_changed"   // a meeting's time, title or place changed
	TemplateCancelled = "meeting_cancelled" // a meeting was cancelled
)

// Default texts, in Norwegian. They fit in two GSM-7 segments with
// smstext.DefaultSample's values.
const (
	DefaultReminderText  = "Påminnelse: {meeting_title} er {meeting_date} kl. {meeting_time}. Sted: {place}. Kan du ikke komme, svar KAN IKKE."
	DefaultChangedText   = "Endring: {meeting_title} er nå {meeting_date} kl. {meeting_time}. Sted: {place}. Kan du ikke komme, svar KAN IKKE."
	DefaultCancelledText = "Avlyst: {meeting_title} {meeting_date} kl. {meeting_time} blir ikke holdt. Du trenger ikke gjøre noe."
)

// PlaceUnknown fills {place} for a meeting whose place is not set yet.
const PlaceUnknown = "kommer senere"

// MaxSegments is the most SMS segments a meeting text may need.
const MaxSegments = 2

// placeholders are the names meeting texts may use.
var placeholders = []string{smstext.MeetingTitle, smstext.MeetingDate, smstext.MeetingTime, smstext.Place}

// Texts are a campaign's three meeting texts, parsed.
type Texts struct {
	Reminder, Changed, Cancelled *smstext.Template
}

// ParseTexts reads the meeting texts from a campaign's templates, using
// the defaults for keys it lacks. An override that does not parse or does
// not fit in MaxSegments is an EINVALID error naming templates.<key>.
func ParseTexts(templates map[string]string) (Texts, error) {
	var t Texts
	for _, f := range []struct {
		key, def string
		dst      **smstext.Template
	}{
		{TemplateReminder, DefaultReminderText, &t.Reminder},
		{TemplateChanged, DefaultChangedText, &t.Changed},
		{TemplateCancelled, DefaultCancelledText, &t.Cancelled},
	} {
		text, ok := templates[f.key]
		if !ok {
			text = f.def
		}
		tpl, err := smstext.Parse(text, placeholders)
		if err == nil {
			err = smstext.CheckFits(tpl, nil, MaxSegments)
		}
		if err != nil {
			return Texts{}, panel.Errorf(panel.EINVALID, "templates.%s: %s", f.key, panel.ErrorMessage(err))
		}
		*f.dst = tpl
	}
	return t, nil
}

// Values returns the placeholder values for meeting m, with its date and
// time in loc; now decides whether the year is shown.
func Values(m *panel.Meeting, now time.Time, loc *time.Location) map[string]string {
	place := m.Place
	if place == "" {
		place = PlaceUnknown
	}
	return map[string]string{
		smstext.MeetingTitle: m.Title,
		smstext.MeetingDate:  FormatDate(m.StartsAt, now, loc),
		smstext.MeetingTime:  FormatTime(m.StartsAt, loc),
		smstext.Place:        place,
	}
}

// render fills tpl for meeting m.
func render(tpl *smstext.Template, m *panel.Meeting, now time.Time, loc *time.Location) (string, error) {
	body, err := tpl.Render(Values(m, now, loc))
	if err != nil {
		return "", fmt.Errorf("render meeting %d text: %w", m.ID, err)
	}
	return body, nil
}
