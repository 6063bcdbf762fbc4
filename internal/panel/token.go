package panel

import (
	"context"
	"time"
)

// Roles of API tokens.
const (
	RoleOrganiser = "organiser" // may do everything
	RoleAuditor   = "auditor"   // may only read
)

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool { return r == RoleOrganiser || r == RoleAuditor }

// Token is an API token's stored form. The token itself is shown once at
// creation; only its SHA-256 hash is kept.
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Actor is who performs an action: a token's name and role, or a system
// component such as "cli" or "scheduler". It is recorded in audit events.
type Actor struct {
	Name string
	Role string
}

// TokenService issues and checks API tokens.
type TokenService interface {
	// CreateToken stores a new token with the given role and name and returns
	// it with its plaintext secret, which is never stored and cannot be shown
	// again. Returns EINVALID for an unknown role or an empty name.
	CreateToken(ctx context.Context, role, name string) (*Token, Secret, error)
	// Authenticate returns the token whose secret is given. Returns
	// EUNAUTHORIZED for an unknown or revoked secret.
	Authenticate(ctx context.Context, secret Secret) (*Token, error)
}
