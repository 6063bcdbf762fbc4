package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/citizenspanel/panel/internal/panel"
)

// Console accounts: users, their sessions and failed sign-ins
// (migration 00008).

// Limits of console accounts.
const (
	maxUserName  = 100
	sessionBytes = 32
)

var _ panel.AccountService = (*Store)(nil)

// userRow is a row of console_users.
type userRow struct {
	ID           int64 `gorm:"primaryKey"`
	Name         string
	Role         string
	PasswordHash string
	CreatedAt    time.Time
	DisabledAt   *time.Time
}

func (userRow) TableName() string { return "console_users" }

func (r *userRow) toPanel() *panel.User {
	return &panel.User{ID: r.ID, Name: r.Name, Role: r.Role, CreatedAt: r.CreatedAt.UTC(), DisabledAt: utcPtr(r.DisabledAt)}
}

// sessionRow is a row of console_sessions.
type sessionRow struct {
	ID        int64 `gorm:"primaryKey"`
	UserID    int64
	Hash      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

func (sessionRow) TableName() string { return "console_sessions" }

// signInFailureRow is a row of console_signin_failures.
type signInFailureRow struct {
	ID      int64 `gorm:"primaryKey"`
	Name    string
	Address string
	At      time.Time
}

func (signInFailureRow) TableName() string { return "console_signin_failures" }

// hashSessionSecret is the stored form of a session secret: hex SHA-256.
func hashSessionSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateUser implements panel.AccountService.
func (s *Store) CreateUser(ctx context.Context, name, role, passwordHash string) (*panel.User, error) {
	if !panel.ValidUserRole(role) {
		return nil, panel.Errorf(panel.EINVALID, "role must be %s, %s or %s, got %q", panel.RoleOrganiser, panel.RoleAuditor, panel.RoleCaller, role)
	}
	if strings.TrimSpace(name) == "" || name != strings.TrimSpace(name) {
		return nil, panel.Errorf(panel.EINVALID, "name is required and may not start or end with a space")
	}
	if n := utf8.RuneCountInString(name); n > maxUserName {
		return nil, panel.Errorf(panel.EINVALID, "name must be at most %d characters, got %d", maxUserName, n)
	}
	if passwordHash == "" {
		return nil, panel.Errorf(panel.EINVALID, "password hash is required")
	}
	row := userRow{Name: name, Role: role, PasswordHash: passwordHash, CreatedAt: s.clock()}
	err := s.InTx(ctx, func(tx *Store) error {
		if err := tx.conn(ctx).Create(&row).Error; err != nil {
			if panel.ErrorCode(translate(err, "user")) == panel.ECONFLICT {
				return panel.Errorf(panel.ECONFLICT, "a user called %q exists already", name)
			}
			return translate(err, "user")
		}
		return tx.AppendAudit(ctx, &panel.AuditEvent{
			Actor: panel.ActorOrSystem(ctx).Name, Action: "user.created",
			Subject: fmt.Sprintf("user/%d", row.ID), Details: userDetails(row.Name, row.Role),
		})
	})
	if err != nil {
		return nil, err
	}
	return row.toPanel(), nil
}

// userDetails is the audit details of a user event.
func userDetails(name, role string) json.RawMessage {
	b, _ := json.Marshal(map[string]string{"name": name, "role": role})
	return b
}

// ListUsers implements panel.AccountService.
func (s *Store) ListUsers(ctx context.Context) ([]*panel.User, error) {
	var rows []userRow
	if err := s.conn(ctx).Order("name").Find(&rows).Error; err != nil {
		return nil, translate(err, "users")
	}
	out := make([]*panel.User, len(rows))
	for i := range rows {
		out[i] = rows[i].toPanel()
	}
	return out, nil
}

// DisableUser implements panel.AccountService. Disabling twice keeps the
// first time and writes no second event.
func (s *Store) DisableUser(ctx context.Context, name string) (*panel.User, error) {
	var row userRow
	err := s.InTx(ctx, func(tx *Store) error {
		if err := tx.conn(ctx).Where("name = ?", name).Take(&row).Error; err != nil {
			if panel.ErrorCode(translate(err, "user")) == panel.ENOTFOUND {
				return panel.Errorf(panel.ENOTFOUND, "no user called %q", name)
			}
			return translate(err, "user")
		}
		if err := tx.conn(ctx).Where("user_id = ?", row.ID).Delete(&sessionRow{}).Error; err != nil {
			return translate(err, "sessions")
		}
		if row.DisabledAt != nil {
			return nil
		}
		now := s.clock()
		if err := tx.conn(ctx).Model(&userRow{}).Where("id = ?", row.ID).Update("disabled_at", now).Error; err != nil {
			return translate(err, "user")
		}
		row.DisabledAt = &now
		return tx.AppendAudit(ctx, &panel.AuditEvent{
			Actor: panel.ActorOrSystem(ctx).Name, Action: "user.disabled",
			Subject: fmt.Sprintf("user/%d", row.ID), Details: userDetails(row.Name, row.Role),
		})
	})
	if err != nil {
		return nil, err
	}
	return row.toPanel(), nil
}

// UserPassword implements panel.AccountService.
func (s *Store) UserPassword(ctx context.Context, name string) (*panel.User, string, error) {
	var row userRow
	if err := s.conn(ctx).Where("name = ? AND disabled_at IS NULL", name).Take(&row).Error; err != nil {
		return nil, "", translate(err, "user")
	}
	return row.toPanel(), row.PasswordHash, nil
}

// CreateSession implements panel.AccountService.
func (s *Store) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (*panel.Session, panel.Secret, error) {
	raw := make([]byte, sessionBytes)
	if _, err := io.ReadFull(s.random, raw); err != nil {
		return nil, "", fmt.Errorf("store: read random session bytes: %w", err)
	}
	secret := tokenEncoding().EncodeToString(raw)
	now := s.clock()
	if err := s.deleteExpiredSessions(ctx, userID, now); err != nil {
		return nil, "", err
	}
	row := sessionRow{UserID: userID, Hash: hashSessionSecret(secret), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return nil, "", translate(err, "session")
	}
	sess, err := s.SessionBySecret(ctx, panel.Secret(secret))
	if err != nil {
		return nil, "", err
	}
	return sess, panel.Secret(secret), nil
}

// deleteExpiredSessions removes the user's ended sessions, so they do not
// pile up. Times are compared in Go (SQLite keeps them as text).
func (s *Store) deleteExpiredSessions(ctx context.Context, userID int64, now time.Time) error {
	var rows []sessionRow
	if err := s.conn(ctx).Select("id", "expires_at").Where("user_id = ?", userID).Find(&rows).Error; err != nil {
		return translate(err, "sessions")
	}
	var ended []int64
	for _, r := range rows {
		if !now.Before(r.ExpiresAt) {
			ended = append(ended, r.ID)
		}
	}
	if len(ended) == 0 {
		return nil
	}
	return translate(s.conn(ctx).Where("id IN ?", ended).Delete(&sessionRow{}).Error, "sessions")
}

// SessionBySecret implements panel.AccountService with one query.
func (s *Store) SessionBySecret(ctx context.Context, secret panel.Secret) (*panel.Session, error) {
	denied := panel.Errorf(panel.EUNAUTHORIZED, "not signed in, or the session has ended")
	if secret == "" {
		return nil, denied
	}
	var rows []struct {
		ID        int64
		CreatedAt time.Time
		ExpiresAt time.Time
		UserID    int64
		Name      string
		Role      string
		UserSince time.Time
	}
	err := s.conn(ctx).Table("console_sessions AS s").
		Select("s.id, s.created_at, s.expires_at, u.id AS user_id, u.name, u.role, u.created_at AS user_since").
		Joins("JOIN console_users AS u ON u.id = s.user_id").
		Where("s.hash = ? AND u.disabled_at IS NULL", hashSessionSecret(secret.Reveal())).
		Limit(1).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "session")
	}
	// Times are compared in Go: SQLite drivers store them as text.
	if len(rows) == 0 || !s.clock().Before(rows[0].ExpiresAt) {
		return nil, denied
	}
	r := rows[0]
	return &panel.Session{
		ID:        r.ID,
		User:      panel.User{ID: r.UserID, Name: r.Name, Role: r.Role, CreatedAt: r.UserSince.UTC()},
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(),
	}, nil
}

// DeleteSession implements panel.AccountService.
func (s *Store) DeleteSession(ctx context.Context, secret panel.Secret) error {
	err := s.conn(ctx).Where("hash = ?", hashSessionSecret(secret.Reveal())).Delete(&sessionRow{}).Error
	return translate(err, "session")
}

// failureMemory is how long a failed sign-in is kept; the throttle's
// window is shorter.
const failureMemory = 24 * time.Hour

// RecordSignInFailure implements panel.AccountService. Failures of the
// name or address older than a day are deleted, so the table stays small.
func (s *Store) RecordSignInFailure(ctx context.Context, a panel.SignInAttempt) error {
	now := s.clock()
	var old []signInFailureRow
	err := s.conn(ctx).Select("id", "at").Where("name = ? OR address = ?", strings.ToLower(a.Name), a.Address).
		Order("id").Limit(1000).Find(&old).Error
	if err != nil {
		return translate(err, "sign-in failures")
	}
	var stale []int64
	for _, r := range old {
		if now.Sub(r.At) > failureMemory {
			stale = append(stale, r.ID)
		}
	}
	if len(stale) > 0 {
		if err := s.conn(ctx).Where("id IN ?", stale).Delete(&signInFailureRow{}).Error; err != nil {
			return translate(err, "sign-in failures")
		}
	}
	row := signInFailureRow{Name: strings.ToLower(a.Name), Address: a.Address, At: now}
	return translate(s.conn(ctx).Create(&row).Error, "sign-in failure")
}

// SignInFailures implements panel.AccountService. The recent rows of the
// name and the address are few (the throttle stops them growing), so
// they are read and counted here, which keeps time comparisons in Go.
func (s *Store) SignInFailures(ctx context.Context, a panel.SignInAttempt, since time.Time) (int, int, error) {
	var rows []signInFailureRow
	err := s.conn(ctx).Select("name", "address", "at").
		Where("name = ? OR address = ?", strings.ToLower(a.Name), a.Address).
		Order("id DESC").Limit(1000).Find(&rows).Error
	if err != nil {
		return 0, 0, translate(err, "sign-in failures")
	}
	byName, byAddress := 0, 0
	for _, r := range rows {
		if r.At.Before(since) {
			continue
		}
		if r.Name == strings.ToLower(a.Name) {
			byName++
		}
		if r.Address == a.Address {
			byAddress++
		}
	}
	return byName, byAddress, nil
}

// ClearSignInFailures implements panel.AccountService.
func (s *Store) ClearSignInFailures(ctx context.Context, name string) error {
	err := s.conn(ctx).Where("name = ?", strings.ToLower(name)).Delete(&signInFailureRow{}).Error
	return translate(err, "sign-in failures")
}
