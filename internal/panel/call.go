package panel

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// SeesPhones reports whether role may see phone numbers: organisers and
// callers, never auditors.
func SeesPhones(role string) bool { return role == RoleOrganiser || role == RoleCaller }

// MayRecordCalls reports whether role may record call outcomes.
func MayRecordCalls(role string) bool { return role == RoleOrganiser || role == RoleCaller }

// Call outcomes.
const (
	CallReached    = "reached"     // spoke to the person; nothing decided
	CallNotReached = "not_reached" // no answer
	CallConfirmed  = "confirmed"   // the member confirms they take part
	CallDeclined   = "declined"    // the member (or reserve) declines: replaced as an SMS decline is
)

// CallOutcomes lists the outcomes a call may record.
var CallOutcomes = []string{CallReached, CallNotReached, CallConfirmed, CallDeclined}

// SupportTags is the fixed set of support-need tags a call may record:
// step-free access, childcare, an interpreter or another language, dietary
// needs, and anything else (described in the free text).
var SupportTags = []string{"access", "childcare", "language", "diet", "other"}

// MaxSupportNeedsLength bounds the free text of a call, in characters.
const MaxSupportNeedsLength = 1000

// CallInput is a call outcome as an organiser or caller records it.
type CallInput struct {
	Outcome      string   `json:"outcome"`
	SupportNeeds string   `json:"support_needs"` // free text; personal data, never logged or audited
	SupportTags  []string `json:"support_tags"`  // from SupportTags
}

// Normalize validates c and returns it with tags lower-cased, without
// repeats and in the order of SupportTags, and the free text trimmed.
// Errors are EINVALID naming the field.
func (c CallInput) Normalize() (CallInput, error) {
	if !slices.Contains(CallOutcomes, c.Outcome) {
		return c, Errorf(EINVALID, "outcome must be one of %s, got %q", strings.Join(CallOutcomes, ", "), c.Outcome)
	}
	c.SupportNeeds = strings.TrimSpace(c.SupportNeeds)
	if !utf8.ValidString(c.SupportNeeds) {
		return c, Errorf(EINVALID, "support_needs must be UTF-8 text")
	}
	if n := utf8.RuneCountInString(c.SupportNeeds); n > MaxSupportNeedsLength {
		return c, Errorf(EINVALID, "support_needs must be at most %d characters, got %d", MaxSupportNeedsLength, n)
	}
	seen := map[string]bool{}
	for _, t := range c.SupportTags {
		t = strings.ToLower(strings.TrimSpace(t))
		if !slices.Contains(SupportTags, t) {
			return c, Errorf(EINVALID, "support_tags: %q is not one of %s", t, strings.Join(SupportTags, ", "))
		}
		seen[t] = true
	}
	c.SupportTags = []string{}
	for _, t := range SupportTags {
		if seen[t] {
			c.SupportTags = append(c.SupportTags, t)
		}
	}
	return c, nil
}

// Call is one recorded call outcome for a panel member or reserve.
type Call struct {
	ID           int64     `json:"id"`
	DrawID       int64     `json:"draw_id"`
	MemberID     int64     `json:"-"`
	PseudoID     string    `json:"member"`
	Outcome      string    `json:"outcome"`
	SupportNeeds string    `json:"support_needs"`
	SupportTags  []string  `json:"support_tags"`
	RecordedBy   string    `json:"recorded_by"`   // the actor's name
	RecordedRole string    `json:"recorded_role"` // organiser or caller
	CreatedAt    time.Time `json:"created_at"`
}

// Member statuses shown on the members list, derived from the member's
// state, the notification and replacements.
const (
	StatusDrawn     = "drawn"     // on the panel, not yet notified
	StatusNotified  = "notified"  // on the panel, notified, not yet confirmed
	StatusConfirmed = "confirmed" // on the panel, confirmed
	StatusDeclined  = "declined"  // said no and not (yet) replaced
	StatusDropped   = "dropped"   // no confirmation in time, opted out or dropped, not (yet) replaced
	StatusReplaced  = "replaced"  // left the panel; a reserve took the seat
	StatusReserve   = "reserve"   // a reserve waiting
)

// RosterEntry is one panel member or reserve as the members list shows
// it. Phone is empty when the person has none or was purged; callers of
// the store decide whether to show it.
type RosterEntry struct {
	MemberID    int64             `json:"-"`
	RecipientID int64             `json:"-"`
	PseudoID    string            `json:"member"`
	Role        string            `json:"role"` // RoleSelected or RoleReserve: how the person was drawn
	Rank        int               `json:"rank"`
	State       string            `json:"state"`  // the stored member state
	Status      string            `json:"status"` // a Status* constant
	ReplacedBy  string            `json:"replaced_by,omitempty"`
	Replaces    string            `json:"replaces,omitempty"` // the member whose seat a reserve took
	ConfirmBy   *time.Time        `json:"confirm_by,omitempty"`
	OptedOut    bool              `json:"opted_out"`
	Phone       Phone             `json:"-"`
	Values      map[string]string `json:"values"`
	Absences    int               `json:"absences"` // meetings the member reported they cannot attend
	Calls       int               `json:"calls"`    // call outcomes recorded
	LastCall    *Call             `json:"last_call,omitempty"`
}

// MemberChange is the member state change a call makes: from one of From
// to To, audited as Action.
type MemberChange struct {
	From   []string
	To     string
	Action string
}

// CallStore stores call outcomes and reads a draw's members for the
// members list.
type CallStore interface {
	// CampaignDraw returns the campaign's seeded draw. ENOTFOUND for an
	// unknown campaign; ECONFLICT when it has no seeded draw yet.
	CampaignDraw(ctx context.Context, campaignID int64) (*Draw, error)
	// Roster returns the draw's panel members by rank, then its reserves by
	// rank, with phone numbers, category values, absence and call counts
	// and the last call.
	Roster(ctx context.Context, drawID int64) ([]*RosterEntry, error)
	// RecordCall stores a call outcome for the draw's member pseudoID under
	// the actor in ctx and, when change is not nil, moves the member's
	// state as change says, with the "member.call_recorded" audit event
	// (the outcome and whether support needs were given, never the needs
	// themselves: the audit log is never purged), all in one transaction.
	// ENOTFOUND for an unknown member; ECONFLICT when the member's state
	// is none of change.From.
	RecordCall(ctx context.Context, drawID int64, pseudoID string, in CallInput, change *MemberChange) (*Call, error)
	// ListCalls returns the calls recorded for a member, oldest first.
	// ENOTFOUND for an unknown member.
	ListCalls(ctx context.Context, drawID int64, pseudoID string) ([]*Call, error)
	// ReportAbsence records, under the actor in ctx (its name as
	// reported_by), that the draw's member pseudoID cannot attend meeting
	// meetingID of the draw's campaign, with the
	// "meeting.absence_recorded" audit event, in one transaction. Created
	// is false (and nothing changes) when the absence was recorded before.
	// ENOTFOUND for an unknown member or a meeting of another campaign;
	// ECONFLICT when the member holds no seat or the meeting was cancelled
	// or has started (at now).
	ReportAbsence(ctx context.Context, drawID int64, pseudoID string, meetingID int64, reason string, now time.Time) (*Absence, bool, error)
}
