package store

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns API tokens: creation, authentication and revocation.

// Token format: TokenPrefix followed by 32 random bytes in lowercase
// base32 without padding (52 characters).
const (
	TokenPrefix      = "pnl_"
	tokenBytes       = 32
	maxTokenName     = 100
	lastUsedInterval = time.Minute
)

// tokenEncoding is lowercase RFC 4648 base32 without padding.
func tokenEncoding() *base32.Encoding {
	return base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)
}

// tokenRow is a row of the api_tokens table.
type tokenRow struct {
	ID         int64 `gorm:"primaryKey"`
	Name       string
	Role       string
	Hash       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	ExpiresAt  *time.Time
}

func (tokenRow) TableName() string { return "api_tokens" }

func (r *tokenRow) toPanel() *panel.Token {
	return &panel.Token{
		ID:         r.ID,
		Name:       r.Name,
		Role:       r.Role,
		CreatedAt:  r.CreatedAt.UTC(),
		LastUsedAt: utcPtr(r.LastUsedAt),
		RevokedAt:  utcPtr(r.RevokedAt),
		ExpiresAt:  utcPtr(r.ExpiresAt),
	}
}

// hashToken returns the stored form of a token: hex SHA-256.
func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken stores a new token that never expires and returns it with
// its secret, which is shown once and never stored. It records no audit
// event (IssueToken does). Returns EINVALID for an unknown role or an empty
// or overlong name.
func (s *Store) CreateToken(ctx context.Context, role, name string) (*panel.Token, panel.Secret, error) {
	row, secret, err := s.newToken(panel.TokenRequest{Role: role, Name: name})
	if err != nil {
		return nil, "", err
	}
	if err := s.conn(ctx).Create(row).Error; err != nil {
		return nil, "", translate(err, "api token")
	}
	return row.toPanel(), secret, nil
}

// newToken checks req and makes the row and secret of a new token.
func (s *Store) newToken(req panel.TokenRequest) (*tokenRow, panel.Secret, error) {
	role, name := req.Role, req.Name
	if !panel.ValidRole(role) {
		return nil, "", panel.Errorf(panel.EINVALID, "role must be %s or %s, got %q", panel.RoleOrganiser, panel.RoleAuditor, role)
	}
	if strings.TrimSpace(name) == "" {
		return nil, "", panel.Errorf(panel.EINVALID, "name is required")
	}
	if n := utf8.RuneCountInString(name); n > maxTokenName {
		return nil, "", panel.Errorf(panel.EINVALID, "name must be at most %d characters, got %d", maxTokenName, n)
	}
	now := s.clock()
	var expires *time.Time
	if req.ExpiresAt != nil {
		e := req.ExpiresAt.UTC().Truncate(time.Microsecond)
		if !e.After(now) {
			return nil, "", panel.Errorf(panel.EINVALID, "expires_at must be in the future, got %s", e.Format(time.RFC3339))
		}
		expires = &e
	}
	raw := make([]byte, tokenBytes)
	if _, err := io.ReadFull(s.random, raw); err != nil {
		return nil, "", fmt.Errorf("store: read random token bytes: %w", err)
	}
	secret := TokenPrefix + tokenEncoding().EncodeToString(raw)
	return &tokenRow{Name: name, Role: role, Hash: hashToken(secret), CreatedAt: now, ExpiresAt: expires}, panel.Secret(secret), nil
}

// Authenticate returns the token whose secret is given, and records its use
// at most once a minute. Returns EUNAUTHORIZED for a malformed, unknown,
// expired or revoked secret. The lookup is by hash, so it reveals nothing about stored
// secrets through timing.
func (s *Store) Authenticate(ctx context.Context, secret panel.Secret) (*panel.Token, error) {
	denied := panel.Errorf(panel.EUNAUTHORIZED, "invalid, expired or revoked API token")
	if !strings.HasPrefix(secret.Reveal(), TokenPrefix) {
		return nil, denied
	}
	var row tokenRow
	err := s.conn(ctx).Where("hash = ?", hashToken(secret.Reveal())).Take(&row).Error
	if err != nil {
		if panel.ErrorCode(translate(err, "api token")) == panel.ENOTFOUND {
			return nil, denied
		}
		return nil, translate(err, "api token")
	}
	now := s.clock()
	if !row.toPanel().Active(now) {
		return nil, denied
	}
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) >= lastUsedInterval {
		if err := s.conn(ctx).Model(&tokenRow{}).Where("id = ?", row.ID).
			Update("last_used_at", now).Error; err != nil {
			return nil, translate(err, "api token")
		}
		row.LastUsedAt = &now
	}
	return row.toPanel(), nil
}

// RevokeToken marks a token revoked from now on. Returns ENOTFOUND for an
// unknown id; revoking twice keeps the first time.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	now := s.clock()
	res := s.conn(ctx).Model(&tokenRow{}).Where("id = ?", id).
		Update("revoked_at", gorm.Expr("COALESCE(revoked_at, ?)", now))
	if res.Error != nil {
		return translate(res.Error, "api token")
	}
	if res.RowsAffected == 0 {
		return panel.Errorf(panel.ENOTFOUND, "api token not found")
	}
	return nil
}

// ListTokens returns every token, revoked ones included, in ID order.
func (s *Store) ListTokens(ctx context.Context) ([]*panel.Token, error) {
	var rows []tokenRow
	if err := s.conn(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "api tokens")
	}
	out := make([]*panel.Token, len(rows))
	for i := range rows {
		out[i] = rows[i].toPanel()
	}
	return out, nil
}
