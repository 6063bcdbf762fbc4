package panel

import (
	"context"
	"time"
)

// RoleCaller is the console role of confirmation callers: they see only
// the members page, the panel and reserves with phone numbers, and record
// call outcomes. API tokens are organiser or auditor only.
const RoleCaller = "caller"

// ValidUserRole reports whether r is a role a console user may have:
// organiser, auditor or caller.
func ValidUserRole(r string) bool {
	return r == RoleOrganiser || r == RoleAuditor || r == RoleCaller
}

// User is a person who signs in to the organiser console. The password is
// never kept, only its hash (in the store).
type User struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	CreatedAt  time.Time  `json:"created_at"`
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
}

// Session is a signed-in browser. Its secret travels only in the cookie;
// the store keeps its hash.
type Session struct {
	ID        int64
	User      User
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SignInAttempt is one try to sign in, as the throttle counts it.
type SignInAttempt struct {
	Name    string // the name typed, lower-cased
	Address string // the client's IP address
}

// AccountService keeps console users, their sessions and the count of
// failed sign-ins.
type AccountService interface {
	// CreateUser stores a user with a password hash. EINVALID for an
	// unknown role or an empty or overlong name; ECONFLICT when the name
	// is taken.
	CreateUser(ctx context.Context, name, role, passwordHash string) (*User, error)
	// ListUsers returns every user, disabled ones included, by name.
	ListUsers(ctx context.Context) ([]*User, error)
	// DisableUser disables the user and ends all their sessions; the
	// store writes the audit event. ENOTFOUND for an unknown name.
	DisableUser(ctx context.Context, name string) (*User, error)
	// UserPassword returns the enabled user called name with their
	// password hash. ENOTFOUND when there is no such enabled user.
	UserPassword(ctx context.Context, name string) (*User, string, error)
	// CreateSession stores a session for the user that lasts ttl and
	// returns it with its secret.
	CreateSession(ctx context.Context, userID int64, ttl time.Duration) (*Session, Secret, error)
	// SessionBySecret returns the session of secret when it has not
	// expired and its user is enabled; EUNAUTHORIZED otherwise.
	SessionBySecret(ctx context.Context, secret Secret) (*Session, error)
	// DeleteSession ends the session of secret; an unknown one is no error.
	DeleteSession(ctx context.Context, secret Secret) error
	// RecordSignInFailure counts a failed sign-in at the store's clock.
	RecordSignInFailure(ctx context.Context, a SignInAttempt) error
	// SignInFailures counts the failures since since: those for the name
	// and those from the address.
	SignInFailures(ctx context.Context, a SignInAttempt, since time.Time) (byName, byAddress int, err error)
	// ClearSignInFailures forgets the name's failures after a success.
	ClearSignInFailures(ctx context.Context, name string) error
}
