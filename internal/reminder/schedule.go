package reminder

import (
	"slices"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// Due is one reminder of a meeting and when it is to be sent.
type Due struct {
	Kind string    // the rule's kind, e.g. "7d@12:00"
	At   time.Time // in loc
}

// DueTimes returns when each rule of policy reminds of meeting m, earliest
// first, in loc (PANEL_TIMEZONE).
//
// A rule "N days before at HH:MM" means HH:MM on the wall clock in loc, N
// calendar days before the meeting's date in loc, whatever the UTC offset
// on either day, so a daylight-saving change in between keeps the local
// time. A wall-clock time that does not exist on that day (skipped by a
// spring-forward change) is read as time.Date does, one hour later.
//
// A time inside quiet hours moves to the end of the quiet period. A
// reminder whose time, after that move, is not before the meeting's start
// is dropped, and a cancelled meeting has no reminders. Whether a meeting
// is already past is the caller's concern (see Plan).
func DueTimes(m *panel.Meeting, policy panel.ReminderPolicy, quiet panel.QuietHours, loc *time.Location) []Due {
	if m.Cancelled() {
		return nil
	}
	start := m.StartsAt.In(loc)
	out := make([]Due, 0, len(policy))
	for _, r := range policy {
		at := time.Date(start.Year(), start.Month(), start.Day()-r.DaysBefore, r.At/60, r.At%60, 0, 0, loc)
		at = afterQuiet(at, quiet)
		if !at.Before(start) {
			continue
		}
		out = append(out, Due{Kind: r.Kind(), At: at})
	}
	slices.SortStableFunc(out, func(a, b Due) int { return a.At.Compare(b.At) })
	return out
}

// afterQuiet returns t, or the end of the quiet period t falls in.
func afterQuiet(t time.Time, quiet panel.QuietHours) time.Time {
	if !quiet.Contains(t) {
		return t
	}
	end := time.Date(t.Year(), t.Month(), t.Day(), quiet.End/60, quiet.End%60, 0, 0, t.Location())
	if !end.After(t) {
		end = time.Date(t.Year(), t.Month(), t.Day()+1, quiet.End/60, quiet.End%60, 0, 0, t.Location())
	}
	return end
}

// Skip reasons.
const (
	SkipSuperseded = "superseded" // a later reminder of the same meeting is due too
	SkipTooLate    = "too_late"   // missed, and the meeting is too near to send it late
)

// Decision is what to do now with one due reminder.
type Decision struct {
	Due
	Send       bool
	SkipReason string // when not Send
}

// Plan decides, at now, what to do with the reminders of a meeting that
// starts at start: reminders not yet due are left for later; of those due,
// only the latest is sent and the earlier ones are skipped as superseded
// (a member never gets two reminders of one meeting at once). The latest
// is sent when it is on time (now at most grace after its time) or, if it
// was missed (the service was down), when the meeting is still at least
// minLead away; otherwise it is skipped as too late. Nothing is sent for a
// meeting that has started.
func Plan(dues []Due, now, start time.Time, grace, minLead time.Duration) []Decision {
	var out []Decision
	for _, d := range dues {
		if d.At.After(now) {
			continue
		}
		out = append(out, Decision{Due: d, SkipReason: SkipSuperseded})
	}
	if len(out) == 0 {
		return nil
	}
	last := &out[len(out)-1]
	onTime := now.Sub(last.At) <= grace
	switch {
	case !now.Before(start):
		last.SkipReason = SkipTooLate
	case onTime || start.Sub(now) >= minLead:
		last.Send, last.SkipReason = true, ""
	default:
		last.SkipReason = SkipTooLate
	}
	return out
}
