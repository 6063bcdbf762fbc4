package store_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// manualClock is a clock tests move by hand.
type manualClock struct{ now time.Time }

func (c *manualClock) Now() time.Time          { return c.now }
func (c *manualClock) Advance(d time.Duration) { c.now = c.now.Add(d) }

func TestCreateTokenAndAuthenticate(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := &manualClock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
		s = s.WithClock(clock.Now)
		tok, secret, err := s.CreateToken(ctx, panel.RoleOrganiser, "ops")
		if err != nil {
			t.Fatalf("CreateToken: %v", err)
		}
		if !regexp.MustCompile(`^pnl_[a-z2-7]{52}$`).MatchString(secret.Reveal()) {
			t.Errorf("got secret of form %d chars, want pnl_ and 52 base32 characters", len(secret.Reveal()))
		}
		if tok.ID == 0 || tok.Role != panel.RoleOrganiser || tok.Name != "ops" || tok.LastUsedAt != nil {
			t.Errorf("got token %+v, want id, role organiser, name ops, never used", tok)
		}

		clock.Advance(10 * time.Second)
		got, err := s.Authenticate(ctx, secret)
		if err != nil {
			t.Fatalf("Authenticate: %v", err)
		}
		if got.ID != tok.ID || got.Role != panel.RoleOrganiser {
			t.Errorf("got token %d role %q, want %d organiser", got.ID, got.Role, tok.ID)
		}
		firstUse := clock.now
		if got.LastUsedAt == nil || !got.LastUsedAt.Equal(firstUse) {
			t.Errorf("got last_used_at %v, want %v", got.LastUsedAt, firstUse)
		}

		clock.Advance(30 * time.Second) // within a minute: not updated
		got, err = s.Authenticate(ctx, secret)
		if err != nil {
			t.Fatalf("second Authenticate: %v", err)
		}
		if !got.LastUsedAt.Equal(firstUse) {
			t.Errorf("30 s later got last_used_at %v, want still %v", got.LastUsedAt, firstUse)
		}

		clock.Advance(31 * time.Second) // over a minute since first use
		got, err = s.Authenticate(ctx, secret)
		if err != nil {
			t.Fatalf("third Authenticate: %v", err)
		}
		if !got.LastUsedAt.Equal(clock.now) {
			t.Errorf("61 s later got last_used_at %v, want %v", got.LastUsedAt, clock.now)
		}
	})
}

func TestCreateTokenSecretsDiffer(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		seen := map[string]bool{}
		for range 20 {
			_, secret, err := s.CreateToken(context.Background(), panel.RoleAuditor, "auditor")
			if err != nil {
				t.Fatalf("CreateToken: %v", err)
			}
			if seen[secret.Reveal()] {
				t.Fatalf("got a repeated secret after %d tokens", len(seen))
			}
			seen[secret.Reveal()] = true
		}
	})
}

func TestCreateTokenInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, role, tokenName, wantMsg string
	}{
		{"unknown role", "admin", "x", `role must be organiser or auditor, got "admin"`},
		{"empty name", panel.RoleAuditor, "  ", "name is required"},
		{"long name", panel.RoleAuditor, strings.Repeat("x", 101), "name must be at most 100 characters, got 101"},
	}
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, _, err := s.CreateToken(context.Background(), tt.role, tt.tokenName)
				if panel.ErrorCode(err) != panel.EINVALID || panel.ErrorMessage(err) != tt.wantMsg {
					t.Errorf("got %q %q, want %q %q", panel.ErrorCode(err), panel.ErrorMessage(err), panel.EINVALID, tt.wantMsg)
				}
			})
		}
	})
}

func TestAuthenticateRejects(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		_, good, err := s.CreateToken(ctx, panel.RoleOrganiser, "good")
		if err != nil {
			t.Fatalf("CreateToken: %v", err)
		}
		revokedTok, revoked, err := s.CreateToken(ctx, panel.RoleOrganiser, "revoked")
		if err != nil {
			t.Fatalf("CreateToken: %v", err)
		}
		if err := s.RevokeToken(ctx, revokedTok.ID); err != nil {
			t.Fatalf("RevokeToken: %v", err)
		}
		tests := []struct {
			name   string
			secret panel.Secret
		}{
			{"empty", ""},
			{"no prefix", panel.Secret(good.Reveal()[4:])},
			{"unknown", panel.Secret(good.Reveal()[:4] + flip(good.Reveal()[4]) + good.Reveal()[5:])},
			{"revoked", revoked},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.Authenticate(ctx, tt.secret)
				if code := panel.ErrorCode(err); code != panel.EUNAUTHORIZED {
					t.Errorf("got code %q (%v), want %q", code, err, panel.EUNAUTHORIZED)
				}
			})
		}
	})
}

func TestRevokeAndListTokens(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.RevokeToken(ctx, 42); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("revoking an unknown token: got %v, want %s", err, panel.ENOTFOUND)
		}
		tok, _, err := s.CreateToken(ctx, panel.RoleAuditor, "a")
		if err != nil {
			t.Fatalf("CreateToken: %v", err)
		}
		if err := s.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatalf("RevokeToken: %v", err)
		}
		if err := s.RevokeToken(ctx, tok.ID); err != nil {
			t.Errorf("revoking twice: got %v, want no error", err)
		}
		list, err := s.ListTokens(ctx)
		if err != nil {
			t.Fatalf("ListTokens: %v", err)
		}
		if len(list) != 1 || list[0].RevokedAt == nil {
			t.Errorf("got %d tokens, first revoked_at %v, want 1 revoked token", len(list), list[0].RevokedAt)
		}
	})
}

// flip returns a base32 character other than c.
func flip(c byte) string {
	if c == 'a' {
		return "b"
	}
	return "a"
}
