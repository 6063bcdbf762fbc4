package reminder

import (
	"context"
	"slices"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// What happens to one reminder of a meeting being created.
const (
	ActionScheduled  = "scheduled" // sent at its time
	ActionSendNow    = "send_now"  // overdue, sent at the next tick (after quiet hours) because the organiser asked
	ActionSkip       = "skip"      // overdue, not sent: the organiser did not ask for overdue reminders
	ActionSuperseded = SkipSuperseded
	ActionTooLate    = SkipTooLate
)

// Planned is one reminder of a meeting as it would go.
type Planned struct {
	Kind    string    `json:"kind"`    // the policy rule, e.g. "7d@12:00"
	DueAt   time.Time `json:"due_at"`  // in PANEL_TIMEZONE
	Members int       `json:"members"` // members it goes to, counted now
	Overdue bool      `json:"overdue"` // its time has passed
	Action  string    `json:"action"`  // an Action* constant
}

// Preview is a meeting's reminder schedule before it is saved (or as it
// was settled when it was created).
type Preview struct {
	// Members is the number of confirmed members reminders go to now;
	// AwaitingConfirmation those selected who get them once they confirm.
	Members              int       `json:"members"`
	AwaitingConfirmation int       `json:"awaiting_confirmation"`
	TimeZone             string    `json:"time_zone"`
	Schedule             []Planned `json:"schedule"` // every reminder, earliest first
	Overdue              []Planned `json:"overdue"`  // those whose time has passed
	SendOverdue          bool      `json:"send_overdue"`
	// Skipped is the number of overdue reminders recorded as not sent
	// (set by CreateMeeting).
	Skipped int `json:"skipped"`
}

// MeetingCreator is what PreviewMeeting and CreateMeeting need from the
// store.
type MeetingCreator interface {
	panel.MeetingScheduling
	// ReminderSettings returns the campaign's policy and quiet hours.
	ReminderSettings(ctx context.Context, campaignID int64) (panel.ReminderSettings, error)
}

// PreviewMeeting validates m against the scheduler's clock and returns
// when each of its reminders would go and to how many members, and which
// are overdue and what would happen to them with sendOverdue. Nothing is
// stored. EINVALID naming the field; ENOTFOUND for an unknown campaign.
func (s *Scheduler) PreviewMeeting(ctx context.Context, st MeetingCreator, m *panel.Meeting, sendOverdue bool) (Preview, error) {
	if err := m.Validate(s.cfg.Now()); err != nil {
		return Preview{}, err
	}
	rs, err := st.ReminderSettings(ctx, m.CampaignID)
	if err != nil {
		return Preview{}, err
	}
	confirmed, awaiting, err := st.RemindableMembers(ctx, m.CampaignID)
	if err != nil {
		return Preview{}, err
	}
	return s.plan(m, rs, confirmed, awaiting, sendOverdue), nil
}

// CreateMeeting creates m with its overdue reminders settled: reminders
// whose time has passed are sent (the latest one, at the scheduler's next
// tick outside quiet hours, if the meeting is far enough ahead) only when
// sendOverdue is true, and otherwise recorded as skipped for the members
// who would get them now, in the same transaction as the meeting. The
// answer lists the schedule and the overdue reminders.
func (s *Scheduler) CreateMeeting(ctx context.Context, st MeetingCreator, m *panel.Meeting, sendOverdue bool) (Preview, error) {
	p, err := s.PreviewMeeting(ctx, st, m, sendOverdue)
	if err != nil {
		return Preview{}, err
	}
	kinds := make([]string, len(p.Overdue))
	for i, o := range p.Overdue {
		kinds[i] = o.Kind
	}
	if p.Skipped, err = st.CreateMeetingWithOverdue(ctx, m, kinds, sendOverdue); err != nil {
		return Preview{}, err
	}
	return p, nil
}

// plan builds the preview on the scheduler's clock, grace and lead.
func (s *Scheduler) plan(m *panel.Meeting, rs panel.ReminderSettings, confirmed, awaiting int, sendOverdue bool) Preview {
	now := s.cfg.Now()
	loc := s.cfg.Location
	p := Preview{Members: confirmed, AwaitingConfirmation: awaiting, TimeZone: loc.String(),
		Schedule: []Planned{}, Overdue: []Planned{}, SendOverdue: sendOverdue}
	dues := DueTimes(m, rs.Policy, rs.QuietHours, loc)
	decisions := Plan(dues, now, m.StartsAt, s.cfg.Grace, s.cfg.MinLead)
	for _, d := range dues {
		pl := Planned{Kind: d.Kind, DueAt: d.At.In(loc), Members: confirmed, Action: ActionScheduled}
		if !d.At.After(now) {
			pl.Overdue = true
			i := slices.IndexFunc(decisions, func(x Decision) bool { return x.Kind == d.Kind })
			switch {
			case !sendOverdue:
				pl.Action = ActionSkip
			case i >= 0 && decisions[i].Send:
				pl.Action = ActionSendNow
			case i >= 0:
				pl.Action = decisions[i].SkipReason
			}
			p.Overdue = append(p.Overdue, pl)
		}
		p.Schedule = append(p.Schedule, pl)
	}
	return p
}
