package panel

import (
	"context"
	"time"
)

// PoolRow is one complete volunteer of a campaign's pool, for exports.
type PoolRow struct {
	ExternalID string // the id in draw records: a pseudonym, or the organiser's id for imported volunteers
	Phone      Phone  // "" without one or once purged
	Source     string // SourceSMS or SourceImport
	Values     map[string]string
	CreatedAt  time.Time
}

// FailedRow is one recipient whose SMS could not be delivered, for
// exports: unreachable numbers and numbers with a failed or undelivered
// message, with the provider's reason for the latest one.
type FailedRow struct {
	PseudoID     string
	Phone        Phone
	State        string // the recipient's state
	MessageKind  string // kind of the latest failed message; "" when none
	MessageState string // failed or undelivered; "" when none
	ErrorCode    int    // the provider's error code; 0 when none
	Error        string // the provider's reason; "" when none or purged
	At           time.Time
}

// AbsenceRow is one reported absence of a campaign's member, for exports
// and the meetings list.
type AbsenceRow struct {
	MeetingID    int64
	MeetingTitle string
	StartsAt     time.Time
	PseudoID     string
	Phone        Phone
	Reason       string // the member's reply, or an organiser's note; "" once purged
	ReportedBy   string // "sms" for the member's own reply, else the organiser's or caller's name
	CreatedAt    time.Time
}

// ExportStore reads what the exports need that the other stores do not
// give.
type ExportStore interface {
	// ExportPool returns the campaign's complete volunteers in id order.
	// ENOTFOUND for an unknown campaign.
	ExportPool(ctx context.Context, campaignID int64) ([]PoolRow, error)
	// ExportFailed returns the campaign's recipients who are unreachable
	// or have a failed or undelivered message, in id order. ENOTFOUND for
	// an unknown campaign.
	ExportFailed(ctx context.Context, campaignID int64) ([]FailedRow, error)
	// ExportAbsences returns the absences reported for the campaign's
	// meetings, by meeting start then report time. ENOTFOUND for an
	// unknown campaign.
	ExportAbsences(ctx context.Context, campaignID int64) ([]AbsenceRow, error)
}
