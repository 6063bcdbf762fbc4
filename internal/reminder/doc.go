// Package reminder sends panel members SMS reminders before their meetings
// and notices when a meeting changes or is cancelled.
//
// DueTimes and Plan are the pure schedule: which reminders a meeting has,
// at which local wall-clock times in PANEL_TIMEZONE, and which of them to
// send, skip or leave for later at a given moment. Scheduler.Run (a
// panel.Worker) runs that
// schedule on github.com/robfig/cron/v3: every tick it records each due
// reminder in the reminders table (unique per member, meeting and kind)
// and puts its SMS in the outbox in one transaction, so restarts and
// several replicas send each reminder once. CantAttend records a member's
// "KAN IKKE" reply as an absence from their next meeting. MeetingReport
// and Summaries are the organisers' view.
//
// The rules, in one place:
//
//   - A campaign's policy (default "7d@12:00,1d@12:00") lists reminders
//     as calendar days before the meeting's local date and a local time,
//     so daylight-saving changes never shift them.
//   - A reminder time inside quiet hours moves to their end; one that
//     would then fall at or after the meeting's start is dropped. Nothing
//     is sent while quiet hours last.
//   - Only confirmed members whose recipient has not opted out are
//     reminded, and not for a meeting they said they cannot attend.
//   - A reminder is on time when a tick finds it within Config.Grace
//     (5 minutes) of its time. One missed while the service was down is
//     sent late if the meeting is still at least Config.MinLead (2 hours)
//     away, otherwise recorded as skipped ("too_late") and logged. When
//     several reminders of a meeting are due at once, only the latest is
//     sent and the earlier ones are recorded as skipped ("superseded").
//     Skipped reminders are never reconsidered.
//   - Changing a meeting's time, title or place, or cancelling it, raises
//     its revision; members sent a reminder before the change get one
//     notice for that revision (kind "notice-<revision>"). A cancelled
//     meeting gets no further reminders. Reminders already sent are not
//     sent again after a change: the notice carries the new details.
//   - Outbox dedup keys are "reminder/<member>/<meeting>/<kind>".
//
// Texts are templates (see package smstext) with the placeholders
// {meeting_title}, {meeting_date}, {meeting_time} and {place}; a campaign
// overrides the Norwegian defaults under the template keys of
// smstext.MeetingReminder, MeetingChanged and MeetingCancelled. Dates read
// "onsdag 25. november" (smstext.FormatDate), with the year added when it
// is not the current one, times "18:00" (the texts write "kl. {meeting_time}").
package reminder
