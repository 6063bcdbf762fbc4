package reminder

import (
	"context"
	"fmt"

	"github.com/citizenspanel/panel/internal/panel"
)

// Counts sums up a meeting's reminders and absences.
type Counts struct {
	RemindersSent      int `json:"reminders_sent"`      // reminders put in the outbox
	RemindersDelivered int `json:"reminders_delivered"` // of those, reported delivered by the provider
	RemindersSkipped   int `json:"reminders_skipped"`   // recorded as skipped (missed, superseded, opted out)
	NoticesSent        int `json:"notices_sent"`        // change and cancellation notices put in the outbox
	Absences           int `json:"absences"`            // members who said they cannot come
}

// MemberReport is one member's reminders and absence for a meeting.
type MemberReport struct {
	panel.PanelMember
	Reminders []*panel.Reminder `json:"reminders"`
	Absence   *panel.Absence    `json:"absence,omitempty"`
}

// Report is the organisers' view of one meeting: every confirmed member
// with the reminders and notices they were sent and their absence.
type Report struct {
	Meeting *panel.Meeting `json:"meeting"`
	Counts
	Members []MemberReport `json:"members"`
}

// MeetingReport builds the organisers' view of a meeting (for GET
// /api/v1/campaigns/{id}/meetings/{mid}). ENOTFOUND when there is no such
// meeting. Reminders of members no longer confirmed still count.
func MeetingReport(ctx context.Context, st panel.ReminderStore, meetingID int64) (*Report, error) {
	m, err := st.FindMeeting(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	members, err := st.MeetingMembers(ctx, meetingID)
	if err != nil {
		return nil, fmt.Errorf("meeting %d report: %w", meetingID, err)
	}
	reminders, err := st.ListReminders(ctx, meetingID)
	if err != nil {
		return nil, fmt.Errorf("meeting %d report: %w", meetingID, err)
	}
	absences, err := st.ListAbsences(ctx, meetingID)
	if err != nil {
		return nil, fmt.Errorf("meeting %d report: %w", meetingID, err)
	}
	rep := &Report{Meeting: m, Counts: count(reminders, absences), Members: make([]MemberReport, len(members))}
	index := make(map[int64]*MemberReport, len(members))
	for i, pm := range members {
		rep.Members[i] = MemberReport{PanelMember: pm, Reminders: []*panel.Reminder{}}
		index[pm.ID] = &rep.Members[i]
	}
	for _, r := range reminders {
		if mr := index[r.MemberID]; mr != nil {
			mr.Reminders = append(mr.Reminders, r)
		}
	}
	for _, a := range absences {
		if mr := index[a.MemberID]; mr != nil {
			mr.Absence = a
		}
	}
	return rep, nil
}

// Summary is one meeting with its counts, for a campaign's meeting list.
type Summary struct {
	*panel.Meeting
	Counts
}

// Summaries returns each meeting with its counts (for GET
// /api/v1/campaigns/{id}/meetings), in the order given.
func Summaries(ctx context.Context, st panel.ReminderStore, meetings []*panel.Meeting) ([]Summary, error) {
	out := make([]Summary, len(meetings))
	for i, m := range meetings {
		reminders, err := st.ListReminders(ctx, m.ID)
		if err != nil {
			return nil, fmt.Errorf("meeting %d summary: %w", m.ID, err)
		}
		absences, err := st.ListAbsences(ctx, m.ID)
		if err != nil {
			return nil, fmt.Errorf("meeting %d summary: %w", m.ID, err)
		}
		out[i] = Summary{Meeting: m, Counts: count(reminders, absences)}
	}
	return out, nil
}

// count sums up reminders and absences.
func count(reminders []*panel.Reminder, absences []*panel.Absence) Counts {
	c := Counts{Absences: len(absences)}
	for _, r := range reminders {
		switch {
		case r.State == panel.ReminderSkipped:
			c.RemindersSkipped++
		case panel.IsNoticeKind(r.Kind):
			c.NoticesSent++
		default:
			c.RemindersSent++
			if r.Message == panel.MessageDelivered {
				c.RemindersDelivered++
			}
		}
	}
	return c
}
