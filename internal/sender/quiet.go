package sender

import (
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// quietUntil returns the end of the quiet period containing t (in loc),
// and false when t is not in one.
func quietUntil(q panel.QuietHours, t time.Time, loc *time.Location) (time.Time, bool) {
	local := t.In(loc)
	if !q.Contains(local) {
		return time.Time{}, false
	}
	end := time.Date(local.Year(), local.Month(), local.Day(), q.End/60, q.End%60, 0, 0, loc)
	if !end.After(local) {
		end = time.Date(local.Year(), local.Month(), local.Day()+1, q.End/60, q.End%60, 0, 0, loc)
	}
	return end, true
}
