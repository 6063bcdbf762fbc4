package panel

import (
	"context"
	"time"
)

// StatusCheck is a message in state sent whose delivery status a status
// poller is to fetch from the provider, because no callback brought it.
type StatusCheck struct {
	ID         int64
	CampaignID int64
	ProviderID string
	SentAt     time.Time
	Checks     int // checks recorded so far, before this one
}

// StatusChecks finds sent messages whose delivery status never arrived, so
// that a poller can ask the provider instead. Several pollers (also in
// several replicas) may share it: a message is claimed by one poller at a
// time under a lease.
type StatusChecks interface {
	// ClaimStatusChecks takes up to limit messages in state sent that are
	// due for a check at now: not checked yet and sent at or before
	// firstBefore, or whose next check is due at or before now (which
	// includes the claims of a poller whose lease ran out). It leases them
	// until now+lease by moving their next check there, so no other
	// poller takes them meanwhile; concurrent claims never return the
	// same message. Messages sent earliest come first. EINVALID for a
	// limit or lease that is not positive.
	ClaimStatusChecks(ctx context.Context, now, firstBefore time.Time, limit int, lease time.Duration) ([]StatusCheck, error)
	// FinishStatusCheck records the outcome of checking message id, which
	// was claimed with checks checks recorded: when counted, the message
	// has checks+1 checks from now on (an error that says nothing about
	// the message, e.g. a rate limit, is not counted). The next check is
	// due at next, or never when next is zero (the poller gave up; the
	// message stays sent). It reports false and changes nothing when
	// another poller recorded a check of the message since the claim.
	// EINVALID when counted is false and next is zero.
	FinishStatusCheck(ctx context.Context, id int64, checks int, counted bool, next time.Time) (bool, error)
}
