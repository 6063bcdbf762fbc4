package store

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns outbound messages: queueing, claiming with a lease, and
// recording the sender's result.

// maxLastError bounds the stored text of a provider's error.
const maxLastError = 500

var _ panel.Outbox = (*Store)(nil)

// outboxRow is a row of the outbound_messages table.
type outboxRow struct {
	ID            int64 `gorm:"primaryKey"`
	CampaignID    int64
	RecipientID   int64
	Kind          string
	Body          string
	State         string
	DedupKey      string
	ProviderID    *string
	Attempts      int
	NextAttemptAt time.Time
	LeaseOwner    *string
	LeaseUntil    *time.Time
	LastErrorCode *int
	LastError     *string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	SentAt        *time.Time
}

func (outboxRow) TableName() string { return "outbound_messages" }

func (r *outboxRow) toPanel() *panel.OutboundMessage {
	m := &panel.OutboundMessage{
		ID:            r.ID,
		CampaignID:    r.CampaignID,
		RecipientID:   r.RecipientID,
		Kind:          r.Kind,
		Body:          r.Body,
		State:         r.State,
		DedupKey:      r.DedupKey,
		Attempts:      r.Attempts,
		NextAttemptAt: r.NextAttemptAt.UTC(),
		CreatedAt:     r.CreatedAt.UTC(),
		UpdatedAt:     r.UpdatedAt.UTC(),
		ProviderID:    deref(r.ProviderID),
		LeaseOwner:    deref(r.LeaseOwner),
		LeaseUntil:    utcOrZero(r.LeaseUntil),
		LastErrorCode: orZero(r.LastErrorCode),
		LastError:     deref(r.LastError),
		SentAt:        utcOrZero(r.SentAt),
	}
	return m
}

// validKinds are the message kinds the schema accepts.
var validKinds = map[string]bool{
	panel.KindInvitation: true, panel.KindDialogue: true, panel.KindNotification: true,
	panel.KindReminder: true, panel.KindNotice: true, panel.KindConfirmation: true,
}

// Enqueue stores new messages; see panel.Outbox. Existing dedup keys are
// skipped with ON CONFLICT DO NOTHING, so concurrent enqueues of the same
// key store one message. Recipients that opted out, or whose personal
// data was purged, get nothing.
func (s *Store) Enqueue(ctx context.Context, msgs []*panel.OutboundMessage) (int, error) {
	for i, m := range msgs {
		switch {
		case m == nil:
			return 0, panel.Errorf(panel.EINVALID, "message %d is missing", i+1)
		case m.CampaignID <= 0 || m.RecipientID <= 0:
			return 0, panel.Errorf(panel.EINVALID, "message %d needs a campaign and a recipient", i+1)
		case !validKinds[m.Kind]:
			return 0, panel.Errorf(panel.EINVALID, "message %d has unknown kind %q", i+1, m.Kind)
		case strings.TrimSpace(m.Body) == "":
			return 0, panel.Errorf(panel.EINVALID, "message %d has an empty body", i+1)
		case strings.TrimSpace(m.DedupKey) == "":
			return 0, panel.Errorf(panel.EINVALID, "message %d needs a dedup key", i+1)
		}
	}
	created := 0
	err := s.InTx(ctx, func(tx *Store) error {
		optedOut, err := tx.optedOut(ctx, msgs)
		if err != nil {
			return err
		}
		now := tx.clock()
		size := tx.drv.insertBatch()
		rows := make([]outboxRow, 0, min(size, len(msgs)))
		flush := func() error {
			if len(rows) == 0 {
				return nil
			}
			res := tx.conn(ctx).Clauses(clause.OnConflict{
				Columns: []clause.Column{{Name: "dedup_key"}}, DoNothing: true,
			}).Create(&rows)
			if res.Error != nil {
				return translate(res.Error, "outbound message")
			}
			created += int(res.RowsAffected)
			rows = rows[:0]
			return nil
		}
		for _, m := range msgs {
			if optedOut[m.RecipientID] {
				continue
			}
			due := now
			if !m.NextAttemptAt.IsZero() {
				due = m.NextAttemptAt.UTC().Truncate(time.Microsecond)
			}
			rows = append(rows, outboxRow{
				CampaignID: m.CampaignID, RecipientID: m.RecipientID, Kind: m.Kind, Body: m.Body,
				State: panel.MessageQueued, DedupKey: m.DedupKey, NextAttemptAt: due,
				CreatedAt: now, UpdatedAt: now,
			})
			if len(rows) == size {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
	if err != nil {
		return 0, err
	}
	return created, nil
}

// optedOut returns which of the messages' recipients opted out or were
// purged (phone NULL): neither may be messaged again.
func (s *Store) optedOut(ctx context.Context, msgs []*panel.OutboundMessage) (map[int64]bool, error) {
	ids := make([]int64, 0, len(msgs))
	seen := make(map[int64]bool, len(msgs))
	for _, m := range msgs {
		if !seen[m.RecipientID] {
			seen[m.RecipientID] = true
			ids = append(ids, m.RecipientID)
		}
	}
	out := make(map[int64]bool)
	for start := 0; start < len(ids); start += importBatch {
		var found []int64
		err := s.conn(ctx).Model(&recipientRow{}).
			Where("id IN ? AND (state = ? OR phone IS NULL)", ids[start:min(start+importBatch, len(ids))], panel.RecipientOptedOut).
			Pluck("id", &found).Error
		if err != nil {
			return nil, translate(err, "recipients")
		}
		for _, id := range found {
			out[id] = true
		}
	}
	return out, nil
}

// claimCandidate is a message chosen by Claim before it is leased.
type claimCandidate struct {
	ID          int64
	State       string
	RecipientID int64
	RecipientOK int     // 1 when the recipient may be messaged
	Phone       *string // NULL once personal data was purged
}

// Claim leases due messages to owner; see panel.Outbox. On PostgreSQL the
// candidates are selected FOR UPDATE SKIP LOCKED inside the claiming
// transaction, so concurrent claimers (also in other replicas) skip each
// other's rows instead of waiting for or sharing them; on SQLite the
// transaction holds the write lock from its start.
func (s *Store) Claim(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]*panel.OutboundMessage, error) {
	switch {
	case strings.TrimSpace(owner) == "":
		return nil, panel.Errorf(panel.EINVALID, "claim owner is required")
	case limit <= 0:
		return nil, panel.Errorf(panel.EINVALID, "claim limit must be positive, got %d", limit)
	case lease <= 0:
		return nil, panel.Errorf(panel.EINVALID, "claim lease must be positive, got %s", lease)
	}
	now = now.UTC().Truncate(time.Microsecond)
	until := now.Add(lease)
	var out []*panel.OutboundMessage
	err := s.InTx(ctx, func(tx *Store) error {
		expired, err := tx.claimCandidates(ctx, "m.state = 'sending' AND m.lease_until < ?", "m.lease_until, m.id", now, limit)
		if err != nil {
			return err
		}
		queued, err := tx.claimCandidates(ctx, "m.state = 'queued' AND m.next_attempt_at <= ?", "m.next_attempt_at, m.id", now, limit-len(expired))
		if err != nil {
			return err
		}
		inDoubt := make(map[int64]bool, len(expired))
		var take, cancel []int64
		phones := make(map[int64]panel.Phone)
		for _, c := range append(expired, queued...) {
			if c.RecipientOK != 1 || c.Phone == nil {
				cancel = append(cancel, c.ID)
				continue
			}
			take = append(take, c.ID)
			phones[c.ID] = panel.Phone(*c.Phone)
			inDoubt[c.ID] = c.State == panel.MessageSending
		}
		if len(cancel) > 0 {
			err := tx.conn(ctx).Model(&outboxRow{}).Where("id IN ?", cancel).Updates(map[string]any{
				"state": panel.MessageCancelled, "lease_owner": nil, "lease_until": nil, "updated_at": now,
			}).Error
			if err != nil {
				return translate(err, "outbound messages")
			}
		}
		if len(take) == 0 {
			return nil
		}
		err = tx.conn(ctx).Model(&outboxRow{}).Where("id IN ?", take).Updates(map[string]any{
			"state": panel.MessageSending, "lease_owner": owner, "lease_until": until,
			"attempts": gorm.Expr("attempts + 1"), "updated_at": now,
		}).Error
		if err != nil {
			return translate(err, "outbound messages")
		}
		var rows []outboxRow
		if err := tx.conn(ctx).Where("id IN ?", take).Order("id").Find(&rows).Error; err != nil {
			return translate(err, "outbound messages")
		}
		out = make([]*panel.OutboundMessage, len(rows))
		for i := range rows {
			m := rows[i].toPanel()
			m.To, m.InDoubt = phones[m.ID], inDoubt[m.ID]
			out[i] = m
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// claimCandidates selects up to limit messages matching where (one '?' for
// now), skipping paused campaigns, with their recipient's phone and whether
// the recipient may still be messaged.
func (s *Store) claimCandidates(ctx context.Context, where, order string, now time.Time, limit int) ([]claimCandidate, error) {
	if limit <= 0 {
		return nil, nil
	}
	q := `SELECT m.id, m.state, m.recipient_id, r.phone,
		CASE WHEN r.state = 'opted_out' THEN 0 ELSE 1 END AS recipient_ok
		FROM outbound_messages m JOIN recipients r ON r.id = m.recipient_id
		WHERE ` + where + `
		AND NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = m.campaign_id AND c.state = 'paused')
		ORDER BY ` + order + ` LIMIT ?` + s.drv.forUpdate(true, "m")
	var out []claimCandidate
	if err := s.conn(ctx).Raw(q, now, limit).Scan(&out).Error; err != nil {
		return nil, translate(err, "outbound messages")
	}
	return out, nil
}

// notClaimed is the error of a call whose claim the owner no longer holds.
func notClaimed(id int64) error {
	return panel.Errorf(panel.ECONFLICT, "outbound message %d is not claimed by this sender (its lease was taken over or it is finished)", id)
}

// finishClaim updates the message id if owner still holds its claim, and
// returns ECONFLICT if not.
func (s *Store) finishClaim(ctx context.Context, id int64, owner string, set map[string]any) error {
	held, err := s.updateClaim(ctx, id, owner, set)
	if err == nil && !held {
		return notClaimed(id)
	}
	return err
}

// updateClaim updates the message id if owner still holds its claim and
// reports whether it did.
func (s *Store) updateClaim(ctx context.Context, id int64, owner string, set map[string]any) (bool, error) {
	res := s.conn(ctx).Model(&outboxRow{}).
		Where("id = ? AND state = ? AND lease_owner = ?", id, panel.MessageSending, owner).Updates(set)
	if res.Error != nil {
		return false, translate(res.Error, "outbound message")
	}
	return res.RowsAffected > 0, nil
}

// MarkSent records the provider's acceptance; see panel.Outbox.
func (s *Store) MarkSent(ctx context.Context, id int64, owner, providerID, status string) error {
	lost, err := s.MarkSentBatch(ctx, owner, []panel.SentResult{{ID: id, ProviderID: providerID, Status: status}})
	if err != nil {
		return err
	}
	if len(lost) > 0 {
		return notClaimed(id)
	}
	return nil
}

// MarkSentBatch records many acceptances in one transaction; see
// panel.Outbox. A provider id stored for another message is ECONFLICT and
// rolls back the batch.
func (s *Store) MarkSentBatch(ctx context.Context, owner string, results []panel.SentResult) ([]int64, error) {
	for _, r := range results {
		if r.ProviderID == "" {
			return nil, panel.Errorf(panel.EINVALID, "outbound message %d: provider id is required", r.ID)
		}
	}
	if len(results) == 0 {
		return nil, nil
	}
	var lost []int64
	err := s.InTx(ctx, func(tx *Store) error {
		lost = nil
		pids := make([]string, len(results))
		for i, r := range results {
			pids[i] = r.ProviderID
		}
		if err := tx.lockProviderIDs(ctx, pids); err != nil {
			return err
		}
		now := tx.clock()
		marked, err := tx.markSent(ctx, owner, results, now)
		if err != nil {
			return err
		}
		held := make(map[int64]bool, len(marked))
		for _, id := range marked {
			held[id] = true
		}
		pids = pids[:0]
		for _, r := range results {
			if held[r.ID] {
				pids = append(pids, r.ProviderID)
			} else {
				lost = append(lost, r.ID)
			}
		}
		if len(marked) == 0 {
			return nil
		}
		err = tx.conn(ctx).Exec(`UPDATE recipients SET state = ?, updated_at = ?
			WHERE state = ? AND id IN (SELECT recipient_id FROM outbound_messages WHERE id IN ? AND kind = ?)`,
			panel.RecipientInvited, now, panel.RecipientPending, marked, panel.KindInvitation).Error
		if err != nil {
			return translate(err, "recipients")
		}
		return tx.applyEarlyStatuses(ctx, pids)
	})
	if err != nil {
		return nil, err
	}
	return lost, nil
}

// markSentChunk bounds the rows of one markSent UPDATE (two parameters each).
const markSentChunk = 200

// markSent stores the provider ids of the messages owner still holds, with
// one UPDATE per markSentChunk results, and returns the ids it marked.
func (s *Store) markSent(ctx context.Context, owner string, results []panel.SentResult, now time.Time) ([]int64, error) {
	var marked []int64
	for start := 0; start < len(results); start += markSentChunk {
		chunk := results[start:min(start+markSentChunk, len(results))]
		values := make([]string, len(chunk))
		args := make([]any, 0, 2*len(chunk)+8)
		args = append(args, panel.MessageSent, now, now)
		ids := make([]int64, len(chunk))
		for i, r := range chunk {
			values[i] = "(CAST(? AS BIGINT), CAST(? AS TEXT))"
			args = append(args, r.ID, r.ProviderID)
			ids[i] = r.ID
		}
		args = append(args, panel.MessageSending, owner)
		res := s.conn(ctx).Exec(`UPDATE outbound_messages SET state = ?, provider_id = v.column2,
			lease_owner = NULL, lease_until = NULL, sent_at = ?, updated_at = ?, last_error_code = NULL, last_error = NULL
			FROM (VALUES `+strings.Join(values, ", ")+`) AS v
			WHERE outbound_messages.id = v.column1 AND outbound_messages.state = ? AND outbound_messages.lease_owner = ?`, args...)
		if res.Error != nil {
			return nil, translate(res.Error, "outbound message")
		}
		if int(res.RowsAffected) == len(chunk) {
			marked = append(marked, ids...)
			continue
		}
		// Some claims were lost: the marked ones are those that hold the
		// provider id given for them now (ids are unique).
		var got []struct {
			ID         int64
			ProviderID string
		}
		err := s.conn(ctx).Model(&outboxRow{}).Select("id, provider_id").
			Where("id IN ? AND state = ?", ids, panel.MessageSent).Scan(&got).Error
		if err != nil {
			return nil, translate(err, "outbound messages")
		}
		want := make(map[int64]string, len(chunk))
		for _, r := range chunk {
			want[r.ID] = r.ProviderID
		}
		for _, g := range got {
			if want[g.ID] == g.ProviderID {
				marked = append(marked, g.ID)
			}
		}
	}
	return marked, nil
}

// Retry puts a claimed message back in the queue; see panel.Outbox.
func (s *Store) Retry(ctx context.Context, id int64, owner string, at time.Time, code int, msg string) error {
	now := s.clock()
	return s.finishClaim(ctx, id, owner, map[string]any{
		"state": panel.MessageQueued, "next_attempt_at": at.UTC().Truncate(time.Microsecond),
		"lease_owner": nil, "lease_until": nil, "last_error_code": code, "last_error": clip(msg), "updated_at": now,
	})
}

// Release gives a claim back without counting an attempt; see panel.Outbox.
func (s *Store) Release(ctx context.Context, id int64, owner string, at time.Time) error {
	now := s.clock()
	return s.finishClaim(ctx, id, owner, map[string]any{
		"state": panel.MessageQueued, "next_attempt_at": at.UTC().Truncate(time.Microsecond),
		"lease_owner": nil, "lease_until": nil, "updated_at": now,
		"attempts": gorm.Expr("CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END"),
	})
}

// Fail ends a claimed message as failed and marks its recipient; see
// panel.Outbox.
func (s *Store) Fail(ctx context.Context, id int64, owner string, code int, msg string) error {
	return s.InTx(ctx, func(tx *Store) error {
		now := tx.clock()
		err := tx.finishClaim(ctx, id, owner, map[string]any{
			"state": panel.MessageFailed, "lease_owner": nil, "lease_until": nil,
			"last_error_code": code, "last_error": clip(msg), "updated_at": now,
		})
		if err != nil {
			return err
		}
		return tx.markRecipientAfterFailure(ctx, "id = (SELECT recipient_id FROM outbound_messages WHERE id = ?)", id, code, now)
	})
}

// markRecipientAfterFailure marks the recipient chosen by where (one '?'
// for arg) as opted out for ProviderCodeUnsubscribed, or else as
// unreachable if it was only pending or invited.
func (s *Store) markRecipientAfterFailure(ctx context.Context, where string, arg any, code int, now time.Time) error {
	var err error
	if code == panel.ProviderCodeUnsubscribed {
		err = s.conn(ctx).Exec(`UPDATE recipients SET state = ?, opted_out_at = ?, updated_at = ? WHERE state <> ? AND `+where,
			panel.RecipientOptedOut, now, now, panel.RecipientOptedOut, arg).Error
	} else {
		err = s.conn(ctx).Exec(`UPDATE recipients SET state = ?, updated_at = ? WHERE state IN (?, ?) AND `+where,
			panel.RecipientUnreachable, now, panel.RecipientPending, panel.RecipientInvited, arg).Error
	}
	return translate(err, "recipient")
}

// clip bounds a provider's error text.
func clip(msg string) string {
	if len(msg) <= maxLastError {
		return msg
	}
	cut := maxLastError
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut]
}

// FindOutboundMessage returns the message (without To and InDoubt), or
// ENOTFOUND.
func (s *Store) FindOutboundMessage(ctx context.Context, id int64) (*panel.OutboundMessage, error) {
	var row outboxRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "outbound message")
	}
	return row.toPanel(), nil
}

// CampaignSendStats counts the campaign's messages per state.
func (s *Store) CampaignSendStats(ctx context.Context, campaignID int64) (panel.SendStats, error) {
	var rows []struct {
		State string
		N     int
	}
	err := s.conn(ctx).Model(&outboxRow{}).Select("state, COUNT(*) AS n").
		Where("campaign_id = ?", campaignID).Group("state").Scan(&rows).Error
	if err != nil {
		return panel.SendStats{}, translate(err, "outbound messages")
	}
	var st panel.SendStats
	for _, r := range rows {
		switch r.State {
		case panel.MessageQueued:
			st.Queued = r.N
		case panel.MessageSending:
			st.Sending = r.N
		case panel.MessageSent:
			st.Sent = r.N
		case panel.MessageDelivered:
			st.Delivered = r.N
		case panel.MessageUndelivered:
			st.Undelivered = r.N
		case panel.MessageFailed:
			st.Failed = r.N
		case panel.MessageCancelled:
			st.Cancelled = r.N
		}
	}
	return st, nil
}

// providerStates maps a provider's (Twilio's) status to the message state
// it stands for.
var providerStates = map[string]string{
	"accepted": panel.MessageQueued, "scheduled": panel.MessageQueued, "queued": panel.MessageQueued,
	"sending": panel.MessageSending, "sent": panel.MessageSent,
	"delivered": panel.MessageDelivered, "read": panel.MessageDelivered,
	"undelivered": panel.MessageUndelivered, "failed": panel.MessageFailed, "canceled": panel.MessageCancelled,
}

// earlierStates lists, for each state, the states a message may move from
// into it: only forward, and never out of a final state.
var earlierStates = map[string][]string{
	panel.MessageQueued:      nil,
	panel.MessageSending:     {panel.MessageQueued},
	panel.MessageSent:        {panel.MessageQueued, panel.MessageSending},
	panel.MessageDelivered:   {panel.MessageQueued, panel.MessageSending, panel.MessageSent},
	panel.MessageUndelivered: {panel.MessageQueued, panel.MessageSending, panel.MessageSent},
	panel.MessageFailed:      {panel.MessageQueued, panel.MessageSending, panel.MessageSent},
	panel.MessageCancelled:   {panel.MessageQueued, panel.MessageSending, panel.MessageSent},
}

// CancelQueuedForRecipient cancels the recipient's queued outbound
// messages; see panel.InboundStore.
func (s *Store) CancelQueuedForRecipient(ctx context.Context, recipientID int64) (int, error) {
	res := s.conn(ctx).Table("outbound_messages").Where("recipient_id = ? AND state = ?", recipientID, panel.MessageQueued).
		Updates(map[string]any{"state": panel.MessageCancelled, "updated_at": s.clock()})
	if res.Error != nil {
		return 0, translate(res.Error, "outbound messages")
	}
	return int(res.RowsAffected), nil
}
