// Package templates is the catalogue of a campaign's message templates:
// every key a campaign's "templates" may set, what it is for, its default
// text in Norwegian (bokmål) and English, and what each of its
// placeholders renders to. It refuses keys it does not know, naming the
// known ones, so a misspelt key cannot silently leave the default in use.
package templates

import (
	"slices"
	"sort"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/smstext"
)

// Placeholder is one {name} a template may use.
type Placeholder struct {
	// Name is written {name} in a text.
	Name string `json:"name"`
	// RendersTo says what the service puts in its place.
	RendersTo string `json:"renders_to"`
	// Example is a value it renders to.
	Example string `json:"example"`
}

// Defaults are a template's built-in texts.
type Defaults struct {
	// NB is the Norwegian (bokmål) text, the one sent when a campaign
	// does not set the key.
	NB string `json:"nb"`
	// EN is the English text.
	EN string `json:"en"`
}

// Entry describes one template key.
type Entry struct {
	Key string `json:"key"`
	// EnglishKey is the key of the campaign's own English text, sent to
	// people whose conversation is in English.
	EnglishKey string `json:"english_key"`
	// Purpose says when the message is sent.
	Purpose string `json:"purpose"`
	// Default are the built-in texts.
	Default Defaults `json:"default"`
	// Placeholders are the names the text may use.
	Placeholders []Placeholder `json:"placeholders"`
	// MaxSegments is how many SMS segments the text may need.
	MaxSegments int `json:"max_segments"`
}

// The placeholders, described.
var (
	meetingTitle = Placeholder{smstext.MeetingTitle, "the meeting's title", "Samling 1"}
	meetingDate  = Placeholder{smstext.MeetingDate, "the meeting's date in Norwegian words, in PANEL_TIMEZONE, with the year only when it is not this year", "onsdag 25. november"}
	meetingTime  = Placeholder{smstext.MeetingTime, `the meeting's start time, hours and minutes in PANEL_TIMEZONE, without "kl." (write "kl. {meeting_time}")`, "18:00"}
	place        = Placeholder{smstext.Place, `the meeting's place, or "` + reminder.PlaceUnknown + `" when none is set`, "Rådhuset"}
	deadline     = Placeholder{smstext.Deadline, `the confirmation deadline: date in Norwegian words and "kl." time, in PANEL_TIMEZONE`, "fredag 27. november kl. 12:00"}
)

// meeting are the placeholders of the meeting texts.
var meeting = []Placeholder{meetingTitle, meetingDate, meetingTime, place}

// purposes say when each kind is sent.
var purposes = map[string]string{
	smstext.DrawNotSelected.Key:  "to a volunteer who was not drawn, after the draw is announced",
	smstext.DrawReserve.Key:      "to a volunteer drawn as a reserve",
	smstext.DrawSelected.Key:     "to a volunteer drawn for the panel, and to a reserve who steps in",
	smstext.MeetingCancelled.Key: "to the panel's members when a meeting is cancelled",
	smstext.MeetingChanged.Key:   "to the panel's members when a meeting's time, title or place changes",
	smstext.MeetingReminder.Key:  "to the panel's members before each meeting, as the campaign's reminder policy says",
}

// catalogue lists every template key, sorted by key: one entry per kind of
// smstext.Kinds, its texts and limits as the kind declares them.
var catalogue = func() []Entry {
	described := map[string]Placeholder{}
	for _, p := range append(meeting, deadline) {
		described[p.Name] = p
	}
	out := make([]Entry, 0, len(smstext.Kinds))
	for _, k := range smstext.Kinds {
		e := Entry{Key: k.Key, EnglishKey: k.KeyIn(panel.LangEnglish), Purpose: purposes[k.Key],
			Default: Defaults{NB: k.Default, EN: k.English}, Placeholders: []Placeholder{}, MaxSegments: k.MaxSegments}
		for _, name := range k.Placeholders {
			e.Placeholders = append(e.Placeholders, described[name])
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}()

// Catalogue returns every template key with its defaults and
// placeholders, sorted by key.
func Catalogue() []Entry {
	out := make([]Entry, len(catalogue))
	copy(out, catalogue)
	return out
}

// Keys returns the known template keys, sorted.
func Keys() []string {
	keys := make([]string, len(catalogue))
	for i, e := range catalogue {
		keys[i] = e.Key
	}
	sort.Strings(keys)
	return keys
}

// CheckKeys refuses keys of templates that are not template keys: an
// EINVALID error naming the first unknown key (in sorted order), the known
// keys and, when one is close, the key probably meant.
func CheckKeys(templates map[string]string) error {
	var unknown []string
	keys := Keys()
	for k := range templates {
		if !slices.Contains(keys, strings.TrimSuffix(k, smstext.EnglishSuffix)) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	msg := "templates." + unknown[0] + " is not a template key"
	if near := nearest(unknown[0], keys); near != "" {
		msg += " (did you mean " + near + "?)"
	}
	return panel.Errorf(panel.EINVALID, "%s; the keys are %s (each also with %s for the English text)", msg, strings.Join(keys, ", "), smstext.EnglishSuffix)
}

// nearest returns the key within two edits of s, or "".
func nearest(s string, keys []string) string {
	best, bestD := "", 3
	for _, k := range keys {
		if d := distance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// DefaultText returns key's default text in lang ("nb" or "en"; anything
// else is Norwegian), and false for an unknown key.
func DefaultText(key, lang string) (string, bool) {
	for _, e := range catalogue {
		if e.Key == key {
			if lang == "en" {
				return e.Default.EN, true
			}
			return e.Default.NB, true
		}
	}
	return "", false
}

// Effective is one template as a campaign sends it.
type Effective struct {
	Entry
	// Text is the text the campaign sends: its own, or the Norwegian default.
	Text string `json:"text"`
	// Custom is true when the campaign sets its own text.
	Custom bool `json:"custom"`
}

// EffectiveFor returns the templates a campaign with templates sends,
// sorted by key.
func EffectiveFor(templates map[string]string) []Effective {
	out := make([]Effective, len(catalogue))
	for i, e := range catalogue {
		text, custom := templates[e.Key]
		if !custom {
			text = e.Default.NB
		}
		out[i] = Effective{Entry: e, Text: text, Custom: custom}
	}
	return out
}
