package panel

import (
	"context"
	"time"
)

// Draw states. A draw moves forward only: committing → committed → seeded,
// or committing → failed.
const (
	DrawCommitting = "committing" // the pool is frozen; the lottery is being computed
	DrawCommitted  = "committed"  // the commitment is published; waiting for the seed
	DrawSeeded     = "seeded"     // the seed is in; the panel and reserves are fixed
	DrawFailed     = "failed"     // the lottery could not be computed (Error says why)
)

// Panel member roles and states.
const (
	RoleSelected = "selected" // drawn onto the panel
	RoleReserve  = "reserve"  // on the ordered reserve list

	MemberSelected  = "selected"  // on the panel, not yet confirmed
	MemberConfirmed = "confirmed" // on the panel, confirmed by SMS
	MemberDeclined  = "declined"  // said no (or, as a reserve, cannot step in)
	MemberDropped   = "dropped"   // no confirmation by the deadline, opted out, or dropped by an organiser
	MemberReserve   = "reserve"   // a reserve not (yet) on the panel
)

// DrawParams are the parameters of a draw as the organiser gave them,
// defaults filled in.
type DrawParams struct {
	Seats            int      `json:"seats"`
	Reserves         int      `json:"reserves"`
	Algorithm        string   `json:"algorithm"`
	Panels           int      `json:"panels,omitempty"` // lottery size m (leximin); 0 for legacy
	HouseholdColumns []string `json:"address_columns"`
	// ConfirmWithin is how long a selected member has to confirm after the
	// notification, in seconds.
	ConfirmWithin int64 `json:"confirm_within_seconds"`
	// TimeLimit is the time budget of the lottery computation in seconds
	// (0: none). A computation that reaches it stops, and the draw fails
	// with the bounds reached: no record is published.
	TimeLimit float64 `json:"time_limit_seconds,omitempty"`
}

// LotteryProgress is where a leximin lottery computation stands: the level
// being solved, how many of the People have their final probability, the
// panels found so far, and the certified bounds of the level's optimum
// (the smallest open selection probability lies between LowerBound and
// UpperBound). Elapsed is the computation's time so far, in seconds.
type LotteryProgress struct {
	Level       int     `json:"level"`
	PeopleFixed int     `json:"people_fixed"`
	People      int     `json:"people"`
	Panels      int     `json:"panels"`
	LowerBound  float64 `json:"lower_bound"`
	UpperBound  float64 `json:"upper_bound"`
	Elapsed     float64 `json:"elapsed_seconds"`
}

// Draw is one stratified draw of a campaign's panel.
type Draw struct {
	ID         int64      `json:"id"`
	CampaignID int64      `json:"campaign_id"`
	State      string     `json:"state"`
	Params     DrawParams `json:"params"`
	Commitment string     `json:"commitment"` // "" until committed
	Seed       string     `json:"seed,omitempty"`
	Error      string     `json:"error,omitempty"`    // why the draw failed
	Progress   string     `json:"progress,omitempty"` // what the background work is doing
	// LotteryProgress is the lottery computation's latest progress while
	// computing, and the bounds reached when it stopped (a failed draw);
	// nil before it reports, once committed, and for the legacy algorithm.
	LotteryProgress *LotteryProgress `json:"lottery_progress,omitempty"`
	Attempts        int              `json:"attempts"`
	CreatedAt       time.Time        `json:"created_at"`
	CommittedAt     *time.Time       `json:"committed_at,omitempty"`
	SeededAt        *time.Time       `json:"seeded_at,omitempty"`
	NotifiedAt      *time.Time       `json:"notified_at,omitempty"`

	// Record is the draw record as stored, byte for byte: the prepared
	// record (no seed) once committed, the full record once seeded.
	Record []byte `json:"-"`
	// Snapshot is the frozen pool and quotas (JSON), set at creation.
	Snapshot []byte `json:"-"`
}

// DrawMember is one person of a seeded draw: a selected member or a
// reserve.
type DrawMember struct {
	ID          int64      `json:"id"`
	DrawID      int64      `json:"draw_id"`
	VolunteerID int64      `json:"-"`
	RecipientID int64      `json:"-"` // 0 when the volunteer has no phone
	ExternalID  string     `json:"-"` // the volunteer's own id (an imported volunteer's id from the organiser)
	PseudoID    string     `json:"pseudo_id"`
	Role        string     `json:"role"`
	Rank        int        `json:"rank"`
	State       string     `json:"state"`
	ReplacedBy  int64      `json:"replaced_by,omitempty"` // the member who took this seat
	ConfirmBy   *time.Time `json:"confirm_by,omitempty"`
	AnsweredAt  *time.Time `json:"answered_at,omitempty"`
	OptedOut    bool       `json:"opted_out"`
	HasPhone    bool       `json:"has_phone"`
}

// OnPanel reports whether the member holds a seat now: selected or
// confirmed (a reserve who stepped in is selected too).
func (m *DrawMember) OnPanel() bool {
	return m.State == MemberSelected || m.State == MemberConfirmed
}

// MemberRef is what the SMS dialogue knows of a sender who is a member of
// a seeded draw.
type MemberRef struct {
	ID       int64
	DrawID   int64
	PseudoID string
	Role     string
	State    string
}

// SeedMember is one panel_members row to create when a draw is seeded.
type SeedMember struct {
	PseudoID string // the id in the draw record
	// ExternalID is the volunteer's id in the campaign (volunteers.external_id)
	// when it differs from PseudoID (imported volunteers); "" when the same.
	ExternalID string
	Role       string
	Rank       int
}

// VolunteerExternalID is the volunteers.external_id of the member's volunteer.
func (m SeedMember) VolunteerExternalID() string {
	if m.ExternalID != "" {
		return m.ExternalID
	}
	return m.PseudoID
}

// ReplaceFunc decides, from the stored record and members, the members to
// replace now. It returns the new record bytes and the replacements; it
// runs inside a transaction and must only use the CPU.
type ReplaceFunc func(record []byte, members []*DrawMember) (newRecord []byte, done []Replacement, err error)

// Replacement is one seat handed from a leaving member to a reserve.
type Replacement struct {
	Leaving     int64    // member id of who left
	Reserve     int64    // member id of the reserve who steps in
	QuotasKept  bool     // whether every quota still holds
	Unavailable []string // reserves skipped (pseudonyms)
	// Message is the selected-member SMS to the reserve; nil without a phone.
	Message *OutboundMessage
}

// DrawStore stores draws and their members.
type DrawStore interface {
	// CreateDraw stores a new draw in state committing with its frozen
	// snapshot and writes the "draw.created" audit event. ECONFLICT when the
	// campaign has a draw that did not fail; ENOTFOUND for an unknown
	// campaign.
	CreateDraw(ctx context.Context, d *Draw) error
	// FindDraw returns the draw with its record and snapshot, or ENOTFOUND.
	FindDraw(ctx context.Context, id int64) (*Draw, error)
	// ClaimCommitting leases one committing draw whose lease is free or
	// expired to owner until now+lease and counts an attempt; nil when
	// there is none. Two claimers never hold the same draw.
	ClaimCommitting(ctx context.Context, owner string, now time.Time, lease time.Duration) (*Draw, error)
	// SetProgress records what owner's work on a claimed draw is doing.
	SetProgress(ctx context.Context, id int64, owner, progress string) error
	// SetLotteryProgress records the lottery computation's progress on a
	// draw owner holds, in one UPDATE. ECONFLICT when owner no longer holds it.
	SetLotteryProgress(ctx context.Context, id int64, owner string, p LotteryProgress) error
	// FinishCommit stores the prepared record and commitment of a draw
	// owner holds: state committed (its lottery progress cleared), with the
	// "draw.committed" audit event.
	// ECONFLICT when owner no longer holds it.
	FinishCommit(ctx context.Context, id int64, owner string, record []byte, commitment string) error
	// FailCommit ends a draw owner holds as failed with msg, and the
	// "draw.failed" audit event. ECONFLICT when owner no longer holds it.
	FailCommit(ctx context.Context, id int64, owner, msg string) error
	// SeedDraw stores the seed and the full record of a committed draw and
	// creates its members, with the "draw.seeded" audit event, in one
	// transaction. The state change is conditional: ECONFLICT when the draw
	// is not committed (seeded already, or still committing).
	SeedDraw(ctx context.Context, id int64, seed string, record []byte, members []SeedMember, details map[string]any) error
	// ListDrawMembers returns the draw's members, selected by rank then
	// reserves by rank.
	ListDrawMembers(ctx context.Context, drawID int64) ([]*DrawMember, error)
	// NotifyDraw enqueues msgs and sets the confirmation deadline of the
	// selected members that have none, in one transaction; the first call
	// sets notified_at and writes the "draw.notified" audit event. It
	// returns how many messages were newly enqueued.
	NotifyDraw(ctx context.Context, drawID int64, msgs []*OutboundMessage, confirmBy time.Time) (int, error)
	// SetMemberState moves a member from one of the states in from to to,
	// with an audit event (action) under the actor in ctx. ECONFLICT when the
	// member is in none of from; ENOTFOUND for an unknown member.
	SetMemberState(ctx context.Context, drawID int64, pseudoID string, from []string, to, action string) (*DrawMember, error)
	// ExpireUnconfirmed drops the selected members whose confirmation
	// deadline passed before now and returns the draws they belong to.
	ExpireUnconfirmed(ctx context.Context, now time.Time) ([]int64, error)
	// DrawsToReplace lists seeded draws with a member who left (declined
	// or dropped) and was not replaced.
	DrawsToReplace(ctx context.Context) ([]int64, error)
	// ReplaceMembers locks the draw, calls decide with its record and
	// members and applies the replacements: record updated, the leaving
	// member's replaced_by set, the reserve made selected with confirmBy,
	// its SMS enqueued and one "draw.member_replaced" audit event each, in
	// one transaction.
	ReplaceMembers(ctx context.Context, drawID int64, confirmBy time.Time, decide ReplaceFunc) ([]Replacement, error)
}

// VolunteerInput is one row of a volunteer import: a complete volunteer
// recruited another way. Row is the CSV line, for error messages; Phone,
// when set, is E.164 already; HouseholdKey is an opaque address key ("" for
// none).
type VolunteerInput struct {
	Row          int
	ExternalID   string
	Phone        Phone
	Values       map[string]string
	HouseholdKey string
}

// VolunteerImporter stores imported volunteers.
type VolunteerImporter interface {
	// ImportVolunteers stores rows as complete volunteers (source import)
	// of the campaign, with a recipient row (state volunteered) for those
	// with a phone, and the "volunteers.imported" audit event. Rows whose id
	// or phone the campaign has already are rejected. All or nothing
	// (an *ImportError listing the rejected rows) unless partial, which
	// stores the other rows and returns the rejected ones. ENOTFOUND for an
	// unknown campaign.
	ImportVolunteers(ctx context.Context, campaignID int64, rows []VolunteerInput, partial bool) (int, []RowError, error)
}
