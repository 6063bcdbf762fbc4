package smstext

import (
	"fmt"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// Norwegian (bokmål) names of weekdays, from Sunday, and months, from January.
var (
	weekdaysNB = [7]string{"søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"}
	monthsNB   = [12]string{"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"}
)

// FormatDate writes t's date in loc (the service's time zone,
// PANEL_TIMEZONE) the Norwegian way, e.g. "onsdag 25. november". The year
// is added when it differs from ref's year in loc, e.g. "onsdag 20. januar
// 2027" written in 2026. Every date in a message is written with it.
func FormatDate(t, ref time.Time, loc *time.Location) string {
	t = t.In(loc)
	s := fmt.Sprintf("%s %d. %s", weekdaysNB[t.Weekday()], t.Day(), monthsNB[t.Month()-1])
	if t.Year() != ref.In(loc).Year() {
		s += fmt.Sprintf(" %d", t.Year())
	}
	return s
}

// FormatTime writes t's wall-clock time in loc, e.g. "18:00" (without
// "kl.": texts write "kl. {meeting_time}").
func FormatTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("15:04")
}

// English names of weekdays, from Sunday, and months, from January.
var (
	weekdaysEN = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	monthsEN   = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// FormatDateIn is FormatDate in lang: in English e.g. "Wednesday 25
// November" (and the year when it differs from ref's); Norwegian for any
// other lang.
func FormatDateIn(t, ref time.Time, loc *time.Location, lang string) string {
	if lang != panel.LangEnglish {
		return FormatDate(t, ref, loc)
	}
	t = t.In(loc)
	s := fmt.Sprintf("%s %d %s", weekdaysEN[t.Weekday()], t.Day(), monthsEN[t.Month()-1])
	if t.Year() != ref.In(loc).Year() {
		s += fmt.Sprintf(" %d", t.Year())
	}
	return s
}
