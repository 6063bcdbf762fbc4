package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns the audit log: a hash chain of events, appended under a
// lock, and its verification.

// auditLockKey is the PostgreSQL advisory lock that serialises audit
// appends across replicas ("panel-au" in ASCII).
const auditLockKey int64 = 0x70616e656c2d6175

// verifyBatch is how many events VerifyAuditChain reads at a time.
const verifyBatch = 500

// auditRow is a row of the audit_events table.
type auditRow struct {
	Seq      int64 `gorm:"primaryKey;autoIncrement:false"`
	At       time.Time
	Actor    string
	Action   string
	Subject  string
	Details  string
	PrevHash string
	Hash     string
}

func (auditRow) TableName() string { return "audit_events" }

func (r *auditRow) toPanel() *panel.AuditEvent {
	return &panel.AuditEvent{
		Seq:      r.Seq,
		At:       r.At.UTC(),
		Actor:    r.Actor,
		Action:   r.Action,
		Subject:  r.Subject,
		Details:  json.RawMessage(r.Details),
		PrevHash: r.PrevHash,
		Hash:     r.Hash,
	}
}

// AppendAudit appends e to the audit log and fills in Seq, At, PrevHash and
// Hash; Details is replaced by its canonical form ({} when empty). Appends
// are serialised (an advisory lock on PostgreSQL, the write lock on SQLite)
// so the chain never forks. Called on a Store from InTx, the event is part
// of that transaction, and the lock is held until it ends: keep such
// transactions short, as they queue every other audit append. Returns EINVALID for an empty actor or action or for
// details that are not a JSON object.
func (s *Store) AppendAudit(ctx context.Context, e *panel.AuditEvent) error {
	if strings.TrimSpace(e.Actor) == "" {
		return panel.Errorf(panel.EINVALID, "audit actor is required")
	}
	if strings.TrimSpace(e.Action) == "" {
		return panel.Errorf(panel.EINVALID, "audit action is required")
	}
	details, err := panel.CanonicalJSONObject("audit details", e.Details)
	if err != nil {
		return err
	}
	if s.inTx {
		return s.appendAudit(s.conn(ctx), e, details)
	}
	return s.InTx(ctx, func(tx *Store) error {
		return tx.appendAudit(tx.db, e, details)
	})
}

// appendAudit appends within the transaction tx. e is only updated once
// the row is written.
func (s *Store) appendAudit(tx *gorm.DB, e *panel.AuditEvent, details []byte) error {
	if err := s.drv.xactLock(tx, auditLockKey); err != nil {
		return translate(err, "audit lock")
	}
	var last []auditRow
	if err := tx.Select("seq", "hash").Order("seq DESC").Limit(1).Find(&last).Error; err != nil {
		return translate(err, "audit event")
	}
	ev := panel.AuditEvent{
		Seq:      1,
		At:       s.clock(),
		Actor:    e.Actor,
		Action:   e.Action,
		Subject:  e.Subject,
		Details:  json.RawMessage(details),
		PrevHash: panel.AuditZeroHash,
	}
	if len(last) == 1 {
		ev.Seq, ev.PrevHash = last[0].Seq+1, last[0].Hash
	}
	ev.Hash = panel.AuditHash(&ev)
	row := auditRow{
		Seq: ev.Seq, At: ev.At, Actor: ev.Actor, Action: ev.Action, Subject: ev.Subject,
		Details: string(details), PrevHash: ev.PrevHash, Hash: ev.Hash,
	}
	if err := tx.Create(&row).Error; err != nil {
		return translate(err, "audit event")
	}
	*e = ev
	return nil
}

// ListAuditEvents returns events in Seq order after f.AfterSeq, optionally
// only those about f.Subject. Limit defaults to 100 and is capped at 1000.
func (s *Store) ListAuditEvents(ctx context.Context, f panel.AuditFilter) ([]*panel.AuditEvent, error) {
	limit, err := listLimit(f.Limit)
	if err != nil {
		return nil, err
	}
	q := s.conn(ctx).Where("seq > ?", f.AfterSeq)
	if f.Subject != "" {
		q = q.Where("subject = ?", f.Subject)
	}
	var rows []auditRow
	if err := q.Order("seq").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "audit events")
	}
	out := make([]*panel.AuditEvent, len(rows))
	for i := range rows {
		out[i] = rows[i].toPanel()
	}
	return out, nil
}

// VerifyAuditChain reads the whole log in Seq order and checks that seqs
// run 1, 2, 3, ... without gaps, that each PrevHash is the previous event's
// Hash (AuditZeroHash for the first), that Details is a canonical JSON
// object and that each Hash matches the event's contents. It returns the
// number of events checked and, at the first fault, an EINVALID error
// "audit chain broken at seq N: ...". Deleting the newest events leaves a
// valid chain; compare the count and last hash with a copy kept elsewhere to
// detect that.
func (s *Store) VerifyAuditChain(ctx context.Context) (int, error) {
	var (
		checked  int
		prevSeq  int64
		prevHash = panel.AuditZeroHash
	)
	for {
		var rows []auditRow
		err := s.conn(ctx).Where("seq > ?", prevSeq).Order("seq").Limit(verifyBatch).Find(&rows).Error
		if err != nil {
			return checked, translate(err, "audit events")
		}
		for i := range rows {
			if err := verifyAuditRow(&rows[i], prevSeq, prevHash); err != nil {
				return checked, err
			}
			prevSeq, prevHash = rows[i].Seq, rows[i].Hash
			checked++
		}
		if len(rows) < verifyBatch {
			return checked, nil
		}
	}
}

// verifyAuditRow checks one event against its predecessor.
func verifyAuditRow(r *auditRow, prevSeq int64, prevHash string) error {
	broken := func(seq int64, format string, args ...any) error {
		return panel.Errorf(panel.EINVALID, "audit chain broken at seq %d: %s", seq, fmt.Sprintf(format, args...))
	}
	if want := prevSeq + 1; r.Seq != want {
		return broken(want, "event %d is missing (the next stored event is %d)", want, r.Seq)
	}
	if r.PrevHash != prevHash {
		if prevSeq == 0 {
			return broken(r.Seq, "prev_hash of the first event is not %s", panel.AuditZeroHash)
		}
		return broken(r.Seq, "prev_hash does not match the hash of event %d", prevSeq)
	}
	canon, err := panel.CanonicalJSONObject("details", []byte(r.Details))
	if err != nil {
		return broken(r.Seq, "details are not a JSON object")
	}
	if string(canon) != r.Details {
		return broken(r.Seq, "details are not in canonical form")
	}
	if got := panel.AuditHash(r.toPanel()); got != r.Hash {
		return broken(r.Seq, "hash does not match the event's contents")
	}
	return nil
}

// audit appends an event under the actor carried by ctx.
func (s *Store) audit(ctx context.Context, action, subject string, details map[string]any) error {
	raw, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("store: encode %s audit details: %w", action, err)
	}
	return s.AppendAudit(ctx, &panel.AuditEvent{
		Actor: panel.ActorOrSystem(ctx).Name, Action: action, Subject: subject, Details: raw,
	})
}

// smsActor is the actor of changes that a person's SMS makes.
var smsActor = panel.Actor{Name: "sms", Role: "system"}
