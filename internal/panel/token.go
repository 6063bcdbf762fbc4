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
	// ExpiresAt is when the token stops working; nil: never.
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// Active reports whether the token still works at now: not revoked and
// not expired.
func (t *Token) Active(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
}

// TokenRequest asks for a new API token.
type TokenRequest struct {
	Role string
	Name string
	// ExpiresAt, when set, must be in the future; nil: the token never
	// expires.
	ExpiresAt *time.Time
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

// TokenAdmin manages API tokens: issue, list and revoke. Issuing and
// revoking record audit events under the context's actor. Revocation and
// expiry take effect on the next request: every request checks the stored
// token.
type TokenAdmin interface {
	// IssueToken stores a new token and returns it with its secret, shown
	// once. EINVALID for an unknown role, an empty or overlong name, or an
	// expiry that is not in the future.
	IssueToken(ctx context.Context, req TokenRequest) (*Token, Secret, error)
	// ListTokens returns every token, revoked and expired ones included,
	// in id order.
	ListTokens(ctx context.Context) ([]*Token, error)
	// RevokeTokenByID revokes one token and returns it; ENOTFOUND for an
	// unknown id. Revoking twice keeps the first time.
	RevokeTokenByID(ctx context.Context, id int64) (*Token, error)
	// RevokeTokensNamed revokes every token with the name that is not yet
	// revoked and returns them; ENOTFOUND when there is none.
	RevokeTokensNamed(ctx context.Context, name string) ([]*Token, error)
}
