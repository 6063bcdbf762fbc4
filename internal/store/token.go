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
	}
}

// hashToken returns the stored form of a token: hex SHA-256.
func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken stores a new token and returns it with its secret, which is
// shown once and never stored. Returns EINVALID for an unknown role or an
// empty or overlong name.
func (s *Store) CreateToken(ctx context.Context, role, name string) (*panel.Token, panel.Secret, error) {
	if !panel.ValidRole(role) {
		return nil, "", panel.Errorf(panel.EINVALID, "role must be %s or %s, got %q", panel.RoleOrganiser, panel.RoleAuditor, role)
	}
	if strings.TrimSpace(name) == "" {
		return nil, "", panel.Errorf(panel.EINVALID, "name is required")
	}
	if n := utf8.RuneCountInString(name); n > maxTokenName {
		return nil, "", panel.Errorf(panel.EINVALID, "name must be at most %d characters, got %d", maxTokenName, n)
	}
	raw := make([]byte, tokenBytes)
	if _, err := io.ReadFull(s.random, raw); err != nil {
		return nil, "", fmt.Errorf("store: read random token bytes: %w", err)
	}
	secret := TokenPrefix + tokenEncoding().EncodeToString(raw)
	row := tokenRow{Name: name, Role: role, Hash: hashToken(secret), CreatedAt: s.clock()}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return nil, "", translate(err, "api token")
	}
	return row.toPanel(), panel.Secret(secret), nil
}

// Authenticate returns the token whose secret is given, and records its use
// at most once a minute. Returns EUNAUTHORIZED for a malformed, unknown or
// revoked secret. The lookup is by hash, so it reveals nothing about stored
// secrets through timing.
func (s *Store) Authenticate(ctx context.Context, secret panel.Secret) (*panel.Token, error) {
	denied := panel.Errorf(panel.EUNAUTHORIZED, "invalid or revoked API token")
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
	if row.RevokedAt != nil {
		return nil, denied
	}
	now := s.clock()
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
