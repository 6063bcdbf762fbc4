package panel

import "context"

// MeetingScheduling creates meetings with a decision on their overdue
// reminders: those whose time has already passed when the meeting is
// created.
type MeetingScheduling interface {
	// CreateMeetingWithOverdue creates m as MeetingService.CreateMeeting
	// does and, in the same transaction, when overdue (reminder kinds) is
	// not empty, records the "meeting.overdue_reminders" audit event
	// (kinds, send) and, unless send, records each overdue kind as skipped
	// for every member who would get it now, so the scheduler does not
	// send it. It returns how many reminders it recorded as skipped.
	CreateMeetingWithOverdue(ctx context.Context, m *Meeting, overdue []string, send bool) (int, error)
	// RemindableMembers counts the campaign's members who get reminders
	// now (confirmed, reachable, not opted out) and the selected members
	// still to confirm, who will once they do.
	RemindableMembers(ctx context.Context, campaignID int64) (confirmed, awaiting int, err error)
}
