package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/citizenspanel/panel/internal/panel"
)

// IdempotencyRetention is how long the answer to a call sent with an
// Idempotency-Key is kept: a repeat within it gets the first answer; after
// it the key is forgotten and may be used again.
const IdempotencyRetention = 24 * time.Hour

// idempotencyStale is how long a claim may stay without an answer before a
// repeat takes it over: well past any request's time limit, so only a
// request whose process died is taken over.
const idempotencyStale = 2 * time.Minute

// idempotencyRow is a row of the idempotency_keys table. Status is nil
// while the first request is still running.
type idempotencyRow struct {
	ID          int64 `gorm:"primaryKey"`
	Actor       string
	Method      string
	Path        string
	Key         string
	RequestHash string
	Status      *int
	ContentType *string
	Body        []byte
	CreatedAt   time.Time
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

// ClaimIdempotencyKey claims k for a request about to run. Exactly one of
// concurrent claims of the same actor, method, path and key gets the
// claim's ID; the others see InFlight until the owner completes (then
// Replay holds its answer) or releases it. A key used with another request
// body is EINVALID. Keys older than IdempotencyRetention are forgotten.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, k panel.IdempotencyKey) (panel.IdempotencyClaim, error) {
	now := s.clock()
	cutoff := now.Add(-IdempotencyRetention)
	if err := s.conn(ctx).Where("created_at < ?", cutoff).Delete(&idempotencyRow{}).Error; err != nil {
		return panel.IdempotencyClaim{}, translate(err, "idempotency keys")
	}
	row := idempotencyRow{Actor: k.Actor, Method: k.Method, Path: k.Path, Key: k.Key, RequestHash: k.RequestHash, CreatedAt: now}
	res := s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "actor"}, {Name: "method"}, {Name: "path"}, {Name: "key"}},
		DoNothing: true,
	}).Create(&row)
	if res.Error != nil {
		return panel.IdempotencyClaim{}, translate(res.Error, "idempotency key")
	}
	if res.RowsAffected == 1 {
		return panel.IdempotencyClaim{ID: row.ID}, nil
	}
	var got idempotencyRow
	err := s.conn(ctx).Where("actor = ? AND method = ? AND path = ? AND key = ?", k.Actor, k.Method, k.Path, k.Key).Take(&got).Error
	if err != nil {
		if panel.ErrorCode(translate(err, "idempotency key")) == panel.ENOTFOUND {
			// Released between the insert and this read: report it in
			// flight, so the caller asks again.
			return panel.IdempotencyClaim{InFlight: true}, nil
		}
		return panel.IdempotencyClaim{}, translate(err, "idempotency key")
	}
	if got.RequestHash != k.RequestHash {
		return panel.IdempotencyClaim{}, panel.Errorf(panel.EINVALID,
			"the Idempotency-Key %q was already used for a different request to %s %s; use a new key", k.Key, k.Method, k.Path)
	}
	if got.Status == nil {
		if got.CreatedAt.Before(now.Add(-idempotencyStale)) {
			// Its request died without an answer (a crash): take it over.
			res := s.conn(ctx).Model(&idempotencyRow{}).
				Where("id = ? AND status IS NULL AND created_at = ?", got.ID, got.CreatedAt).Update("created_at", now)
			if res.Error != nil {
				return panel.IdempotencyClaim{}, translate(res.Error, "idempotency key")
			}
			if res.RowsAffected == 1 {
				return panel.IdempotencyClaim{ID: got.ID}, nil
			}
		}
		return panel.IdempotencyClaim{InFlight: true}, nil
	}
	reply := &panel.IdempotentReply{Status: *got.Status, Body: got.Body}
	if got.ContentType != nil {
		reply.ContentType = *got.ContentType
	}
	return panel.IdempotencyClaim{Replay: reply}, nil
}

// CompleteIdempotencyKey stores the answer of the request that owns the
// claim id, for its repeats.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, id int64, r panel.IdempotentReply) error {
	ct := r.ContentType
	body := r.Body
	if body == nil {
		body = []byte{}
	}
	err := s.conn(ctx).Model(&idempotencyRow{}).Where("id = ?", id).
		Updates(map[string]any{"status": r.Status, "content_type": ct, "body": body}).Error
	return translate(err, "idempotency key")
}

// ReleaseIdempotencyKey forgets the claim id without an answer (the request
// failed in a way worth retrying), so that a repeat runs again.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, id int64) error {
	return translate(s.conn(ctx).Where("id = ?", id).Delete(&idempotencyRow{}).Error, "idempotency key")
}
