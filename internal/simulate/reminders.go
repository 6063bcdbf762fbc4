package simulate

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"
)

// Meeting is one of the panel's meetings.
type Meeting struct {
	Title string
	Month time.Month
	Day   int
	// NextYear is true for a meeting in the year after the round starts.
	NextYear bool
}

// ReferenceMeetings are the reference round's four meetings, at 18:00
// local time.
var ReferenceMeetings = []Meeting{
	{"Samling 1", time.November, 25, false},
	{"Samling 2", time.December, 2, false},
	{"Samling 3", time.December, 9, false},
	{"Samling 4", time.January, 20, true},
}

// reminderDueTimes are the local times the default reminder policy sends
// at: 12:00 seven days and one day before a meeting.
var reminderDueTimes = []struct {
	daysBefore, hour int
}{{7, 12}, {1, 12}}

// meetingInfo is one meeting as the meetings list shows it.
type meetingInfo struct {
	ID            int64  `json:"id"`
	Title         string `json:"title"`
	RemindersSent int    `json:"reminders_sent"`
}

// reminders schedules the four meetings and moves the clock through each
// reminder's due time, letting the scheduled jobs run at each.
func (r *round) reminders(ctx context.Context) error {
	loc := r.cfg.Clock.Now().Location()
	year := r.cfg.Clock.Now().Year()
	var starts []time.Time
	for _, m := range ReferenceMeetings {
		y := year
		if m.NextYear {
			y++
		}
		at := time.Date(y, m.Month, m.Day, 18, 0, 0, 0, loc)
		starts = append(starts, at)
		err := r.api.create(ctx, "POST", fmt.Sprintf("/api/v1/campaigns/%d/meetings", r.campaign), map[string]string{
			"title": m.Title, "starts_at": at.Format(time.RFC3339), "place": "Rådhuset, bystyresalen",
		}, "", nil, func() (bool, error) {
			list, err := r.meetings(ctx)
			return slices.ContainsFunc(list, func(i meetingInfo) bool { return i.Title == m.Title }), err
		})
		if err != nil {
			return err
		}
	}
	var due []time.Time
	for _, s := range starts {
		for _, d := range reminderDueTimes {
			day := s.AddDate(0, 0, -d.daysBefore)
			due = append(due, time.Date(day.Year(), day.Month(), day.Day(), d.hour, 0, 30, 0, loc))
		}
	}
	sort.Slice(due, func(i, j int) bool { return due[i].Before(due[j]) })
	for _, at := range due {
		if now := r.cfg.Clock.Now(); at.After(now) {
			r.cfg.Clock.Advance(at.Sub(now))
		}
		if err := r.cfg.RunDue(ctx); err != nil {
			return err
		}
		if err := r.drain(ctx); err != nil {
			return err
		}
	}
	list, err := r.meetings(ctx)
	if err != nil {
		return err
	}
	for _, m := range list {
		r.report.Reminders[m.Title] = m.RemindersSent
	}
	return nil
}

// meetings lists the campaign's meetings.
func (r *round) meetings(ctx context.Context) ([]meetingInfo, error) {
	var list struct {
		Meetings []meetingInfo `json:"meetings"`
	}
	err := r.api.call(ctx, "GET", fmt.Sprintf("/api/v1/campaigns/%d/meetings", r.campaign), nil, "", &list)
	return list.Meetings, err
}

// drain waits until the campaign's outbox has nothing queued or in
// flight that is due now.
func (r *round) drain(ctx context.Context) error {
	return waitFor(ctx, 2*time.Minute, "the outbox to drain", func() (bool, error) {
		s, err := r.stats(ctx)
		return err == nil && s.Messages.Queued+s.Messages.Sending == 0, err
	})
}
