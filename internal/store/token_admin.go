package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

var _ panel.TokenAdmin = (*Store)(nil)

// IssueToken stores a new token, with an expiry when req has one, and
// records "token.created" under the context's actor in the same
// transaction. It returns the token and its secret, shown once.
func (s *Store) IssueToken(ctx context.Context, req panel.TokenRequest) (*panel.Token, panel.Secret, error) {
	row, secret, err := s.newToken(req)
	if err != nil {
		return nil, "", err
	}
	err = s.InTx(ctx, func(tx *Store) error {
		if err := tx.conn(ctx).Create(row).Error; err != nil {
			return translate(err, "api token")
		}
		return tx.auditToken(ctx, "token.created", row.toPanel())
	})
	if err != nil {
		return nil, "", err
	}
	return row.toPanel(), secret, nil
}

// RevokeTokenByID revokes the token with id from now on, records
// "token.revoked" when it was active, and returns it. ENOTFOUND for an
// unknown id; revoking twice keeps the first time.
func (s *Store) RevokeTokenByID(ctx context.Context, id int64) (*panel.Token, error) {
	var out *panel.Token
	err := s.InTx(ctx, func(tx *Store) error {
		var row tokenRow
		if err := tx.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
			return translate(err, "api token")
		}
		revoked, err := tx.revoke(ctx, []tokenRow{row})
		if err != nil {
			return err
		}
		if len(revoked) == 0 { // already revoked
			out = row.toPanel()
			return nil
		}
		out = revoked[0]
		return nil
	})
	return out, err
}

// RevokeTokensNamed revokes every not yet revoked token named name,
// records "token.revoked" for each, and returns them. ENOTFOUND when no
// token of that name is left to revoke.
func (s *Store) RevokeTokensNamed(ctx context.Context, name string) ([]*panel.Token, error) {
	var out []*panel.Token
	err := s.InTx(ctx, func(tx *Store) error {
		var rows []tokenRow
		if err := tx.conn(ctx).Where("name = ? AND revoked_at IS NULL", name).Order("id").Find(&rows).Error; err != nil {
			return translate(err, "api tokens")
		}
		if len(rows) == 0 {
			return panel.Errorf(panel.ENOTFOUND, "no unrevoked api token is named %q", name)
		}
		var err error
		out, err = tx.revoke(ctx, rows)
		return err
	})
	return out, err
}

// revoke sets revoked_at on those of rows not yet revoked, audits each and
// returns them as revoked.
func (s *Store) revoke(ctx context.Context, rows []tokenRow) ([]*panel.Token, error) {
	now := s.clock()
	var out []*panel.Token
	for _, row := range rows {
		res := s.conn(ctx).Model(&tokenRow{}).Where("id = ? AND revoked_at IS NULL", row.ID).Update("revoked_at", now)
		if res.Error != nil {
			return nil, translate(res.Error, "api token")
		}
		if res.RowsAffected == 0 {
			continue
		}
		row.RevokedAt = &now
		t := row.toPanel()
		if err := s.auditToken(ctx, "token.revoked", t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// auditToken records action on t under the context's actor; details hold
// the name, role and expiry, never the secret or its hash.
func (s *Store) auditToken(ctx context.Context, action string, t *panel.Token) error {
	d := map[string]any{"name": t.Name, "role": t.Role}
	if t.ExpiresAt != nil {
		d["expires_at"] = t.ExpiresAt.Format(time.RFC3339)
	}
	details, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("store: encode token audit details: %w", err)
	}
	return s.AppendAudit(ctx, &panel.AuditEvent{
		Actor: panel.ActorOrSystem(ctx).Name, Action: action, Subject: fmt.Sprintf("token/%d", t.ID), Details: details,
	})
}
