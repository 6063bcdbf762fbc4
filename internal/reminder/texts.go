package reminder

import (
	"fmt"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
)

// PlaceUnknown fills {place} for a meeting whose place is not set yet.
const PlaceUnknown = "kommer senere"

// Texts are a campaign's three meeting texts, parsed.
type Texts struct {
	Reminder, Changed, Cancelled *smstext.Template
}

// ParseTexts reads the meeting texts (smstext.MeetingReminder,
// MeetingChanged and MeetingCancelled) from a campaign's templates, using
// the defaults for keys it lacks. An override that does not parse or does
// not fit is an EINVALID error naming templates.<key>.
func ParseTexts(templates map[string]string) (Texts, error) {
	var t Texts
	for _, f := range []struct {
		kind smstext.Kind
		dst  **smstext.Template
	}{
		{smstext.MeetingReminder, &t.Reminder},
		{smstext.MeetingChanged, &t.Changed},
		{smstext.MeetingCancelled, &t.Cancelled},
	} {
		tpl, err := f.kind.Parse(templates)
		if err != nil {
			return Texts{}, err
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
		smstext.MeetingDate:  smstext.FormatDate(m.StartsAt, now, loc),
		smstext.MeetingTime:  smstext.FormatTime(m.StartsAt, loc),
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
