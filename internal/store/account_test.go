package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestUsersAndSessions(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		clock := &manualClock{now: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)}
		s = s.WithClock(clock.Now)

		u, err := s.CreateUser(ctx, "kari", panel.RoleOrganiser, "hash-of-kari")
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if u.ID == 0 || u.Name != "kari" || u.Role != panel.RoleOrganiser || u.DisabledAt != nil {
			t.Errorf("got user %+v, want kari, organiser, enabled", u)
		}
		for _, tc := range []struct {
			name, role, code string
		}{
			{"kari", panel.RoleAuditor, panel.ECONFLICT},
			{"", panel.RoleAuditor, panel.EINVALID},
			{" per", panel.RoleAuditor, panel.EINVALID},
			{"per", "admin", panel.EINVALID},
		} {
			if _, err := s.CreateUser(ctx, tc.name, tc.role, "h"); panel.ErrorCode(err) != tc.code {
				t.Errorf("CreateUser(%q, %q): got %v, want code %s", tc.name, tc.role, err, tc.code)
			}
		}
		got, hash, err := s.UserPassword(ctx, "kari")
		if err != nil || got.ID != u.ID || hash != "hash-of-kari" {
			t.Errorf("UserPassword: got %+v, %q, %v; want kari's hash", got, hash, err)
		}
		if _, _, err := s.UserPassword(ctx, "nobody"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("UserPassword(nobody): got %v, want not_found", err)
		}

		sess, secret, err := s.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		if sess.User.Name != "kari" || !sess.ExpiresAt.Equal(clock.now.Add(time.Hour)) {
			t.Errorf("got session %+v, want kari's, ending in an hour", sess)
		}
		if back, err := s.SessionBySecret(ctx, secret); err != nil || back.ID != sess.ID || back.User.Role != panel.RoleOrganiser {
			t.Errorf("SessionBySecret: got %+v, %v; want the session", back, err)
		}
		if _, err := s.SessionBySecret(ctx, secret+"x"); panel.ErrorCode(err) != panel.EUNAUTHORIZED {
			t.Errorf("SessionBySecret(wrong): got %v, want unauthorized", err)
		}
		clock.Advance(time.Hour)
		if _, err := s.SessionBySecret(ctx, secret); panel.ErrorCode(err) != panel.EUNAUTHORIZED {
			t.Errorf("SessionBySecret after expiry: got %v, want unauthorized", err)
		}

		_, second, err := s.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		if err := s.DeleteSession(ctx, second); err != nil {
			t.Fatalf("DeleteSession: %v", err)
		}
		if _, err := s.SessionBySecret(ctx, second); panel.ErrorCode(err) != panel.EUNAUTHORIZED {
			t.Errorf("SessionBySecret after sign-out: got %v, want unauthorized", err)
		}

		_, third, err := s.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		disabled, err := s.DisableUser(ctx, "kari")
		if err != nil || disabled.DisabledAt == nil {
			t.Fatalf("DisableUser: got %+v, %v; want disabled", disabled, err)
		}
		if _, err := s.SessionBySecret(ctx, third); panel.ErrorCode(err) != panel.EUNAUTHORIZED {
			t.Errorf("SessionBySecret after disabling: got %v, want unauthorized", err)
		}
		if _, _, err := s.UserPassword(ctx, "kari"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("UserPassword of a disabled user: got %v, want not_found", err)
		}
		if _, err := s.DisableUser(ctx, "nobody"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("DisableUser(nobody): got %v, want not_found", err)
		}
		users, err := s.ListUsers(ctx)
		if err != nil || len(users) != 1 || users[0].DisabledAt == nil {
			t.Errorf("ListUsers: got %+v, %v; want kari, disabled", users, err)
		}
		events, err := s.ListAuditEvents(ctx, panel.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		if len(actions) != 2 || actions[0] != "user.created" || actions[1] != "user.disabled" {
			t.Errorf("got audit actions %v, want [user.created user.disabled]", actions)
		}
	})
}

func TestSignInFailures(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		clock := &manualClock{now: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)}
		s = s.WithClock(clock.Now)
		start := clock.now
		for _, a := range []panel.SignInAttempt{
			{Name: "Kari", Address: "192.0.2.1"},
			{Name: "kari", Address: "192.0.2.2"},
			{Name: "per", Address: "192.0.2.1"},
		} {
			clock.Advance(time.Second)
			if err := s.RecordSignInFailure(ctx, a); err != nil {
				t.Fatalf("RecordSignInFailure: %v", err)
			}
		}
		byName, byAddr, err := s.SignInFailures(ctx, panel.SignInAttempt{Name: "KARI", Address: "192.0.2.1"}, start)
		if err != nil || byName != 2 || byAddr != 2 {
			t.Errorf("SignInFailures: got %d by name, %d by address, %v; want 2 and 2", byName, byAddr, err)
		}
		byName, byAddr, _ = s.SignInFailures(ctx, panel.SignInAttempt{Name: "kari", Address: "192.0.2.1"}, start.Add(2*time.Second))
		if byName != 1 || byAddr != 1 {
			t.Errorf("SignInFailures since 2 s: got %d by name, %d by address; want 1 and 1", byName, byAddr)
		}
		// A day later the old failures are gone once a new one is recorded.
		clock.Advance(25 * time.Hour)
		if err := s.RecordSignInFailure(ctx, panel.SignInAttempt{Name: "per", Address: "192.0.2.9"}); err != nil {
			t.Fatal(err)
		}
		if n, _, _ := s.SignInFailures(ctx, panel.SignInAttempt{Name: "per", Address: "-"}, start); n != 1 {
			t.Errorf("per's failures after a day: got %d, want only the new one", n)
		}
		if err := s.ClearSignInFailures(ctx, "Kari"); err != nil {
			t.Fatal(err)
		}
		byName, byAddr, _ = s.SignInFailures(ctx, panel.SignInAttempt{Name: "kari", Address: "192.0.2.1"}, start)
		if byName != 0 || byAddr != 0 {
			t.Errorf("after clearing: got %d by name, %d by address; want 0 and 0 (per's old one is gone)", byName, byAddr)
		}
	})
}
