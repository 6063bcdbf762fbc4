package panel

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Meeting limits checked by Validate.
const (
	MaxMeetingTitleLength = 200 // characters
	MaxMeetingPlaceLength = 200 // characters
)

// Meeting is one gathering of a campaign's panel. Revision counts the
// changes made after creation (time, title, place, cancellation); each
// change sends one notice to the members already reminded.
type Meeting struct {
	ID          int64      `json:"id"`
	CampaignID  int64      `json:"campaign_id"`
	Title       string     `json:"title"`
	StartsAt    time.Time  `json:"starts_at"` // an instant; shown in PANEL_TIMEZONE
	Place       string     `json:"place"`     // "" when not yet known
	CancelledAt *time.Time `json:"cancelled_at,omitempty"`
	Revision    int        `json:"revision"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// Cancelled reports whether the meeting was cancelled.
func (m *Meeting) Cancelled() bool { return m.CancelledAt != nil }

// Validate checks a meeting's fields against now and returns an EINVALID
// error naming the JSON field at fault: title non-empty and at most 200
// characters, starts_at set and after now, place at most 200 characters.
func (m *Meeting) Validate(now time.Time) error {
	switch n := utf8.RuneCountInString(m.Title); {
	case strings.TrimSpace(m.Title) == "":
		return Errorf(EINVALID, "title is required")
	case n > MaxMeetingTitleLength:
		return Errorf(EINVALID, "title must be at most %d characters, got %d", MaxMeetingTitleLength, n)
	case m.StartsAt.IsZero():
		return Errorf(EINVALID, "starts_at is required (RFC 3339, e.g. 2026-11-25T18:00:00+01:00)")
	case !m.StartsAt.After(now):
		return Errorf(EINVALID, "starts_at must be in the future, got %s", m.StartsAt.Format(time.RFC3339))
	}
	if n := utf8.RuneCountInString(m.Place); n > MaxMeetingPlaceLength {
		return Errorf(EINVALID, "place must be at most %d characters, got %d", MaxMeetingPlaceLength, n)
	}
	return nil
}

// ParseMeetingTime parses an RFC 3339 time with an explicit offset, e.g.
// "2026-11-25T18:00:00+01:00" or "2026-11-25T17:00:00Z". Anything else is
// an EINVALID error naming starts_at.
func ParseMeetingTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "starts_at must be an RFC 3339 time such as 2026-11-25T18:00:00+01:00, got %q", s)
	}
	return t, nil
}

// MeetingUpdate is a change to a meeting; nil fields stay as they are.
type MeetingUpdate struct {
	Title    *string    `json:"title"`
	StartsAt *time.Time `json:"starts_at"`
	Place    *string    `json:"place"`
}

// Apply returns a copy of m with the update's fields set, and whether
// anything changed.
func (u MeetingUpdate) Apply(m *Meeting) (*Meeting, bool) {
	c := *m
	if u.Title != nil {
		c.Title = *u.Title
	}
	if u.StartsAt != nil {
		c.StartsAt = *u.StartsAt
	}
	if u.Place != nil {
		c.Place = *u.Place
	}
	changed := c.Title != m.Title || !c.StartsAt.Equal(m.StartsAt) || c.Place != m.Place
	return &c, changed
}

// MeetingService stores a campaign's meetings.
type MeetingService interface {
	// CreateMeeting validates m (see Meeting.Validate, against the
	// service's clock), stores it and sets m.ID, m.Revision, m.CreatedAt
	// and m.UpdatedAt. EINVALID naming the field; ENOTFOUND when the
	// campaign does not exist.
	CreateMeeting(ctx context.Context, m *Meeting) error
	// FindMeeting returns the meeting, or ENOTFOUND.
	FindMeeting(ctx context.Context, id int64) (*Meeting, error)
	// ListMeetings returns the campaign's meetings by start time, then id,
	// cancelled ones included. ENOTFOUND when the campaign does not exist.
	ListMeetings(ctx context.Context, campaignID int64) ([]*Meeting, error)
	// UpdateMeeting applies u to a meeting that has not started and is not
	// cancelled, and adds one to its Revision when anything changed.
	// EINVALID naming the field; ENOTFOUND; ECONFLICT when the meeting was
	// cancelled or has started.
	UpdateMeeting(ctx context.Context, id int64, u MeetingUpdate) (*Meeting, error)
	// CancelMeeting cancels a meeting that has not started and adds one to
	// its Revision. Cancelling a cancelled meeting returns it unchanged.
	// ENOTFOUND; ECONFLICT when the meeting has started.
	CancelMeeting(ctx context.Context, id int64) (*Meeting, error)
}

// DefaultReminderPolicy is the policy of a campaign that sets none: seven
// days before at 12:00 and one day before at 12:00, local time.
const DefaultReminderPolicy = "7d@12:00,1d@12:00"

// MaxReminderDaysBefore bounds how early a reminder can be.
const MaxReminderDaysBefore = 60

// ReminderRule is one reminder: DaysBefore calendar days before the
// meeting's local date, at the local wall-clock time At (minutes after
// midnight). Written "7d@12:00"; "0d@09:00" is the meeting's own day.
type ReminderRule struct {
	DaysBefore int
	At         int // minutes after midnight, 0..1439
}

// Kind is the rule's name as stored with each reminder it sends, e.g.
// "7d@12:00". Two rules with the same kind are the same rule.
func (r ReminderRule) Kind() string {
	return fmt.Sprintf("%dd@%02d:%02d", r.DaysBefore, r.At/60, r.At%60)
}

// ReminderPolicy is the list of reminders each member gets before each
// meeting, earliest first.
type ReminderPolicy []ReminderRule

// String writes the policy as ParseReminderPolicy reads it.
func (p ReminderPolicy) String() string {
	kinds := make([]string, len(p))
	for i, r := range p {
		kinds[i] = r.Kind()
	}
	return strings.Join(kinds, ",")
}

// ParseReminderPolicy reads a comma-separated list of rules "<N>d@HH:MM"
// (N from 0 to 60, a 24-hour time), e.g. "7d@12:00,1d@12:00". "" gives
// DefaultReminderPolicy; "none" gives no reminders. The rules come back
// earliest first. Errors are EINVALID naming reminder_policy.
func ParseReminderPolicy(s string) (ReminderPolicy, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "":
		s = DefaultReminderPolicy
	case "none":
		return ReminderPolicy{}, nil
	}
	var p ReminderPolicy
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		days, clock, ok := strings.Cut(item, "d@")
		n, err := strconv.Atoi(days)
		if !ok || err != nil || n < 0 || n > MaxReminderDaysBefore || days != strconv.Itoa(n) {
			return nil, Errorf(EINVALID, `reminder_policy: %q is not a rule like "7d@12:00" (0 to %d days before, at HH:MM)`, item, MaxReminderDaysBefore)
		}
		at, err := parseClock(clock)
		if err != nil {
			return nil, Errorf(EINVALID, `reminder_policy: %q is not a rule like "7d@12:00" (0 to %d days before, at HH:MM)`, item, MaxReminderDaysBefore)
		}
		r := ReminderRule{DaysBefore: n, At: at}
		if slices.Contains(p, r) {
			return nil, Errorf(EINVALID, "reminder_policy: %q is given twice", item)
		}
		p = append(p, r)
	}
	slices.SortFunc(p, func(a, b ReminderRule) int {
		if a.DaysBefore != b.DaysBefore {
			return b.DaysBefore - a.DaysBefore
		}
		return a.At - b.At
	})
	return p, nil
}

// Reminder states.
const (
	ReminderSent    = "sent"    // the SMS was put in the outbox
	ReminderSkipped = "skipped" // not sent: missed while the service was down, superseded, or opted out
)

// NoticeKindPrefix starts the kind of a change or cancellation notice;
// the meeting's Revision follows, e.g. "notice-2".
const NoticeKindPrefix = "notice-"

// NoticeKind returns the reminder kind of the notice for a meeting revision.
func NoticeKind(revision int) string { return NoticeKindPrefix + strconv.Itoa(revision) }

// IsNoticeKind reports whether kind names a change or cancellation notice.
func IsNoticeKind(kind string) bool { return strings.HasPrefix(kind, NoticeKindPrefix) }

// Reminder is one reminder or notice for one member and one meeting,
// recorded once: (MemberID, MeetingID, Kind) is unique.
type Reminder struct {
	ID         int64     `json:"id"`
	MemberID   int64     `json:"member_id"`
	MeetingID  int64     `json:"meeting_id"`
	Kind       string    `json:"kind"`  // a ReminderRule's Kind, or NoticeKind(revision)
	State      string    `json:"state"` // ReminderSent or ReminderSkipped
	DueAt      time.Time `json:"due_at"`
	MessageID  int64     `json:"message_id,omitempty"`    // the outbox message; 0 when skipped
	Message    string    `json:"message_state,omitempty"` // the outbox message's state, when listed
	CreatedAt  time.Time `json:"created_at"`
	SkipReason string    `json:"-"` // why it was skipped, for the log only
}

// PanelMember is a confirmed member of a campaign's panel as the reminder
// job needs it: which recipient to text.
type PanelMember struct {
	ID          int64  `json:"id"`
	RecipientID int64  `json:"recipient_id"`
	PseudoID    string `json:"pseudo_id"` // the member's pseudonym in the draw record
	OptedOut    bool   `json:"opted_out"` // sent STOP: gets no messages (set by MeetingMembers only)
	// Language is the language of the member's conversation (LangEnglish
	// or LangNorwegian; "" counts as Norwegian), set by MembersToRemind
	// and MembersToNotify: reminders and notices are sent in it.
	Language string `json:"-"`
}

// Absence records that a member said they cannot attend a meeting.
type Absence struct {
	ID        int64     `json:"id"`
	MemberID  int64     `json:"member_id"`
	MeetingID int64     `json:"meeting_id"`
	Reason    string    `json:"reason"` // e.g. the member's SMS reply
	CreatedAt time.Time `json:"created_at"`
}

// CantAttendResult is what recording a member's absence did, for the
// inbox to show.
type CantAttendResult struct {
	Absence *Absence
	Meeting *Meeting
	Created bool   // false when the absence was recorded before
	Note    string // a line for the organisers' inbox, e.g. "Kan ikke komme: Samling 2, onsdag 2. desember kl. 18:00"
}

// Absences records that a confirmed panel member cannot attend their next
// meeting; the reminder scheduler implements it.
type Absences interface {
	// CantAttend records the absence of the member reached through
	// recipientID from their next meeting; reason is kept, never logged.
	// Created is false when it was recorded before. ENOTFOUND when the
	// recipient is no confirmed member or has no upcoming meeting.
	CantAttend(ctx context.Context, recipientID int64, reason string) (CantAttendResult, error)
}

// Replacements fills the seats of members who left a drawn panel from its
// reserves; the draw service implements it.
type Replacements interface {
	// ReplaceDropouts gives each seat left by a member who declined or
	// dropped out to the first reserve that keeps every quota.
	ReplaceDropouts(ctx context.Context, drawID int64) error
}

// ReminderStore is what the reminder job reads and writes. Every method
// is safe with several replicas working on one database.
type ReminderStore interface {
	// UpcomingMeetings returns the meetings of all campaigns that start
	// after now, cancelled ones included, by start time.
	UpcomingMeetings(ctx context.Context, now time.Time) ([]*Meeting, error)
	// ReminderSettings returns a campaign's reminder policy, quiet hours
	// and message templates. ENOTFOUND when there is no such campaign;
	// EINVALID when its stored policy does not parse.
	ReminderSettings(ctx context.Context, campaignID int64) (ReminderSettings, error)
	// MembersToRemind returns the confirmed members of the meeting's
	// campaign who have no reminder of kind for it yet, have not opted out
	// and have not said they cannot attend it.
	MembersToRemind(ctx context.Context, meetingID int64, kind string) ([]PanelMember, error)
	// MembersToNotify returns the members of the meeting's campaign who
	// were sent a reminder for it and have no reminder of kind (a notice
	// kind) for it yet, and have not opted out.
	MembersToNotify(ctx context.Context, meetingID int64, kind string) ([]PanelMember, error)
	// RecordReminder stores r (State, DueAt, MemberID, MeetingID, Kind)
	// and, when msg is not nil, enqueues msg in the outbox, in one
	// transaction. It returns false and changes nothing when a reminder
	// with r's key exists. If the outbox refuses msg because the recipient
	// opted out, r is stored as skipped. r.ID, r.State, r.MessageID and
	// r.CreatedAt are set.
	RecordReminder(ctx context.Context, r *Reminder, msg *OutboundMessage) (bool, error)
	// ListReminders returns a meeting's reminders with their message
	// states, by member then time.
	ListReminders(ctx context.Context, meetingID int64) ([]*Reminder, error)
	// RecordAbsence records that the confirmed member reached through
	// recipientID cannot attend their next meeting (the first one not
	// cancelled that starts after now) and appends an audit event, in one
	// transaction. A repeated call returns the stored absence and false.
	// ENOTFOUND when the recipient is no confirmed member or has no
	// upcoming meeting.
	RecordAbsence(ctx context.Context, recipientID int64, reason string, now time.Time) (*Absence, *Meeting, bool, error)
	// ListAbsences returns a meeting's absences by time.
	ListAbsences(ctx context.Context, meetingID int64) ([]*Absence, error)
	// MeetingMembers returns the confirmed members of the meeting's
	// campaign, opted out or not, by id. ENOTFOUND when there is no such
	// meeting.
	MeetingMembers(ctx context.Context, meetingID int64) ([]PanelMember, error)
	// FindMeeting returns the meeting, or ENOTFOUND.
	FindMeeting(ctx context.Context, id int64) (*Meeting, error)
}

// ReminderSettings are a campaign's settings the reminder job uses.
type ReminderSettings struct {
	Policy     ReminderPolicy
	QuietHours QuietHours
	Templates  map[string]string // the campaign's templates; see package reminder for the keys
}
