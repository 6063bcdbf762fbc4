package panel

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Recipient states.
const (
	RecipientPending     = "pending"     // imported, not yet invited
	RecipientInvited     = "invited"     // the invitation was accepted by the SMS provider
	RecipientVolunteered = "volunteered" // answered yes
	RecipientDeclined    = "declined"    // answered no
	RecipientOptedOut    = "opted_out"   // sent STOP, or the provider reports the number unsubscribed: never message again
	RecipientUnreachable = "unreachable" // the provider refused the number permanently (invalid, not a mobile, ...)
)

// Recipient is one invited person of a campaign. Phone is empty once
// personal data has been purged.
type Recipient struct {
	ID         int64             `json:"id"`
	CampaignID int64             `json:"campaign_id"`
	Phone      Phone             `json:"-"`
	Attributes map[string]string `json:"attributes"` // register columns, e.g. gender, age, district
	PseudoID   string            `json:"pseudo_id"`  // opaque, random; used wherever the person must not be identifiable
	State      string            `json:"state"`
	OptedOutAt *time.Time        `json:"opted_out_at,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
}

// RecipientInput is one row of a recipient import. Row is the row number
// the organiser sees (e.g. the CSV line), used in error messages; Phone
// must already be in E.164 form.
type RecipientInput struct {
	Row        int
	Phone      Phone
	Attributes map[string]string
}

// RowError is one rejected row of an import.
type RowError struct {
	Row   int    `json:"row"`
	Error string `json:"error"`
}

// ImportError is the error of an all-or-nothing import that rejected rows:
// nothing was stored. It wraps an *Error (EINVALID when some row is
// malformed, otherwise ECONFLICT for duplicates), so ErrorCode and
// ErrorMessage work on it, and lists every rejected row.
type ImportError struct {
	Err      *Error
	Rejected []RowError
	// Unlisted is how many more rows were rejected than Rejected lists
	// (see MaxListedRejections).
	Unlisted int
}

// MaxListedRejections is the most rejected rows an import lists; the
// answer says how many more there were (ImportError.Unlisted,
// ImportResult.RejectedUnlisted).
const MaxListedRejections = 1000

// RecipientSource yields the rows of a recipient import one by one, in
// file order, so that a file of a million rows is never held whole.
type RecipientSource interface {
	// Next returns the next row and, when the row cannot be imported,
	// the problem to reject it with ("" for a good row). It returns io.EOF
	// after the last row; any other error ends the import with nothing
	// stored (an EINVALID *Error for a file that cannot be read).
	Next() (in RecipientInput, problem string, err error)
	// Columns are the register columns' names, in file order.
	Columns() []string
}

// Error implements the error interface.
func (e *ImportError) Error() string {
	return fmt.Sprintf("%s (%d rows rejected)", e.Err.Error(), len(e.Rejected))
}

// Unwrap returns the *Error.
func (e *ImportError) Unwrap() error { return e.Err }

// NewImportError builds the ImportError for rejected rows: EINVALID if
// any row is invalid, ECONFLICT if all are duplicates. The message names
// the first rejected rows.
func NewImportError(invalid bool, rejected []RowError) *ImportError {
	return NewImportErrorUnlisted(invalid, rejected, 0)
}

// NewImportErrorUnlisted is NewImportError for an import that rejected
// unlisted rows more than it lists.
func NewImportErrorUnlisted(invalid bool, rejected []RowError, unlisted int) *ImportError {
	code := ECONFLICT
	if invalid {
		code = EINVALID
	}
	const shown = 3
	parts := make([]string, 0, shown)
	for i, r := range rejected {
		if i == shown {
			break
		}
		parts = append(parts, fmt.Sprintf("row %d: %s", r.Row, r.Error))
	}
	msg := fmt.Sprintf("%d rows rejected, nothing imported: %s", len(rejected)+unlisted, strings.Join(parts, "; "))
	if len(rejected)+unlisted > shown {
		msg += "; ..."
	}
	if unlisted > 0 {
		msg += fmt.Sprintf(" (the first %d are listed, %d more are not)", len(rejected), unlisted)
	}
	return &ImportError{Err: &Error{Code: code, Message: msg}, Rejected: rejected, Unlisted: unlisted}
}

// RecipientService stores the people a campaign invites.
type RecipientService interface {
	// ImportRecipients stores rows for the campaign, all or nothing, in
	// one transaction, and returns how many were stored. A phone number
	// that is empty or not E.164 makes an *ImportError with code EINVALID;
	// a number that repeats an earlier row or one already in the campaign
	// makes one with code ECONFLICT (EINVALID wins when both occur). Each
	// rejected row is named. Returns ENOTFOUND if the campaign does not
	// exist.
	ImportRecipients(ctx context.Context, campaignID int64, rows []RecipientInput) (int, error)
	// FindRecipient returns the recipient, or ENOTFOUND.
	FindRecipient(ctx context.Context, id int64) (*Recipient, error)
	// CountRecipientsByState counts a campaign's recipients per state;
	// states without recipients are absent.
	CountRecipientsByState(ctx context.Context, campaignID int64) (map[string]int, error)
}
