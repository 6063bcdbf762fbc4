package smstext

import "github.com/citizenspanel/panel/internal/panel"

// Kind is a kind of message whose text a campaign may override in its
// templates under Key. Every such kind is declared here, once: its key, its
// built-in Norwegian text, the placeholders it may use and its length
// limit.
type Kind struct {
	// Key is the kind's key in a campaign's templates, e.g. "draw_selected".
	Key string
	// Default is the built-in Norwegian text, used when a campaign has no
	// text of its own under Key.
	Default string
	// English is the built-in English text, for people whose conversation
	// with the service is in English (see ParseIn).
	English string
	// Placeholders are the names the text may use.
	Placeholders []string
	// MaxSegments is the most SMS segments the rendered text may need.
	MaxSegments int
	// Sample are the values the text's length is checked with, over
	// DefaultSample's.
	Sample map[string]string
}

// meetingPlaceholders are the placeholders of the meeting texts.
var meetingPlaceholders = []string{MeetingTitle, MeetingDate, MeetingTime, Place}

// drawSample is the {deadline} the draw texts are measured with.
var drawSample = map[string]string{Deadline: "onsdag 30. september kl. 23:59"}

// The meeting texts the reminder scheduler sends. Their defaults fit in two
// GSM-7 segments with DefaultSample's values.
var (
	// MeetingReminder is a reminder before a meeting.
	MeetingReminder = Kind{Key: "meeting_reminder", Placeholders: meetingPlaceholders, MaxSegments: 2,
		Default: "Påminnelse: {meeting_title} er {meeting_date} kl. {meeting_time}. Sted: {place}. Kan du ikke komme, svar KAN IKKE.",
		English: "Reminder: {meeting_title} is on {meeting_date} at {meeting_time}. Place: {place}. If you cannot come, reply CANNOT."}
	// MeetingChanged tells that a meeting's time, title or place changed.
	MeetingChanged = Kind{Key: "meeting_changed", Placeholders: meetingPlaceholders, MaxSegments: 2,
		Default: "Endring: {meeting_title} er nå {meeting_date} kl. {meeting_time}. Sted: {place}. Kan du ikke komme, svar KAN IKKE.",
		English: "Change: {meeting_title} is now on {meeting_date} at {meeting_time}. Place: {place}. If you cannot come, reply CANNOT."}
	// MeetingCancelled tells that a meeting was cancelled.
	MeetingCancelled = Kind{Key: "meeting_cancelled", Placeholders: meetingPlaceholders, MaxSegments: 2,
		Default: "Avlyst: {meeting_title} {meeting_date} kl. {meeting_time} blir ikke holdt. Du trenger ikke gjøre noe.",
		English: "Cancelled: {meeting_title} on {meeting_date} at {meeting_time} will not take place. You need not do anything."}
)

// The draw texts the draw service sends, GSM-7 only. {deadline} is the
// confirmation deadline, e.g. "fredag 27. november kl. 12:00".
var (
	// DrawSelected goes to a selected member (and a reserve who steps in).
	DrawSelected = Kind{Key: "draw_selected", Placeholders: []string{Deadline}, MaxSegments: 3, Sample: drawSample,
		Default: "Du er trukket ut til innbyggerpanelet! Svar JA eller BEKREFT innen {deadline} for å bekrefte plassen din. Kan du ikke delta, svar NEI.",
		English: "You have been drawn for the citizens' panel! Reply YES or CONFIRM by {deadline} to confirm your seat. If you cannot take part, reply NO."}
	// DrawReserve goes to a reserve.
	DrawReserve = Kind{Key: "draw_reserve", Placeholders: []string{Deadline}, MaxSegments: 3, Sample: drawSample,
		Default: "Takk for at du meldte deg! Du er ikke trukket ut til panelet nå, men står på reservelisten. Vi sender SMS hvis det blir en ledig plass.",
		English: "Thank you for volunteering! You were not drawn for the panel now, but you are on the reserve list. We will text you if a seat becomes free."}
	// DrawNotSelected goes to a volunteer not drawn.
	DrawNotSelected = Kind{Key: "draw_not_selected", Placeholders: []string{Deadline}, MaxSegments: 3, Sample: drawSample,
		Default: "Takk for at du meldte deg! Du ble ikke trukket ut til innbyggerpanelet denne gangen. Takk for interessen.",
		English: "Thank you for volunteering! You were not drawn for the citizens' panel this time. Thank you for your interest."}
)

// MeetingKinds are the meeting texts, in the order they are checked.
var MeetingKinds = []Kind{MeetingReminder, MeetingChanged, MeetingCancelled}

// Kinds are every kind a campaign's templates may set, in the order they
// are checked.
var Kinds = []Kind{MeetingReminder, MeetingChanged, MeetingCancelled, DrawSelected, DrawReserve, DrawNotSelected}

// Parse returns the campaign's text of kind k from templates, or k's
// default when templates has none, parsed and checked to fit in
// k.MaxSegments. An error is EINVALID and names templates.<key>.
func (k Kind) Parse(templates map[string]string) (*Template, error) {
	text, ok := templates[k.Key]
	if !ok {
		text = k.Default
	}
	tpl, err := Parse(text, k.Placeholders)
	if err == nil {
		err = CheckFits(tpl, k.Sample, k.MaxSegments)
	}
	if err != nil {
		return nil, panel.Errorf(panel.EINVALID, "templates.%s: %s", k.Key, panel.ErrorMessage(err))
	}
	return tpl, nil
}

// EnglishSuffix ends the template key of a kind's English text: a campaign
// sets its own English reminder under "meeting_reminder_en".
const EnglishSuffix = "_en"

// KeyIn is the template key of k's text in lang: Key for Norwegian,
// Key+EnglishSuffix for English.
func (k Kind) KeyIn(lang string) string {
	if lang == panel.LangEnglish {
		return k.Key + EnglishSuffix
	}
	return k.Key
}

// ParseIn is Parse for a person whose conversation is in lang. In English
// it is the campaign's text under KeyIn(lang); else, when the campaign
// wrote its own text under Key, that text (an organiser's words are never
// replaced by a built-in translation); else k.English. Any other lang is
// Norwegian, as Parse.
func (k Kind) ParseIn(templates map[string]string, lang string) (*Template, error) {
	if lang != panel.LangEnglish {
		return k.Parse(templates)
	}
	if _, own := templates[k.Key]; own {
		if _, en := templates[k.KeyIn(lang)]; !en {
			return k.Parse(templates)
		}
	}
	en := Kind{Key: k.KeyIn(lang), Default: k.English, Placeholders: k.Placeholders, MaxSegments: k.MaxSegments, Sample: k.Sample}
	return en.Parse(templates)
}
