package reminder

import (
	"fmt"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
)

// PlaceUnknown fills {place} for a meeting whose place is not set yet;
// PlaceUnknownEnglish in English texts.
const (
	PlaceUnknown        = "kommer senere"
	PlaceUnknownEnglish = "to be announced"
)

// Texts are a campaign's three meeting texts in one language, parsed.
type Texts struct {
	Reminder, Changed, Cancelled *smstext.Template
}

// ParseTexts reads the meeting texts (smstext.MeetingReminder,
// MeetingChanged and MeetingCancelled) from a campaign's templates, using
// the defaults for keys it lacks. An override that does not parse or does
// not fit is an EINVALID error naming templates.<key>.
func ParseTexts(templates map[string]string) (Texts, error) {
	return ParseTextsIn(templates, panel.LangNorwegian)
}

// ParseTextsIn is ParseTexts in lang (see smstext.Kind.ParseIn).
func ParseTextsIn(templates map[string]string, lang string) (Texts, error) {
	var t Texts
	for _, f := range []struct {
		kind smstext.Kind
		dst  **smstext.Template
	}{
		{smstext.MeetingReminder, &t.Reminder},
		{smstext.MeetingChanged, &t.Changed},
		{smstext.MeetingCancelled, &t.Cancelled},
	} {
		tpl, err := f.kind.ParseIn(templates, lang)
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
	return ValuesIn(m, now, loc, panel.LangNorwegian)
}

// ValuesIn is Values in lang: dates and the unknown place in English for
// LangEnglish.
func ValuesIn(m *panel.Meeting, now time.Time, loc *time.Location, lang string) map[string]string {
	place := m.Place
	if place == "" {
		place = PlaceUnknown
		if lang == panel.LangEnglish {
			place = PlaceUnknownEnglish
		}
	}
	return map[string]string{
		smstext.MeetingTitle: m.Title,
		smstext.MeetingDate:  smstext.FormatDateIn(m.StartsAt, now, loc, lang),
		smstext.MeetingTime:  smstext.FormatTime(m.StartsAt, loc),
		smstext.Place:        place,
	}
}

// render fills tpl for meeting m in lang.
func render(tpl *smstext.Template, m *panel.Meeting, now time.Time, loc *time.Location, lang string) (string, error) {
	body, err := tpl.Render(ValuesIn(m, now, loc, lang))
	if err != nil {
		return "", fmt.Errorf("render meeting %d text: %w", m.ID, err)
	}
	return body, nil
}
