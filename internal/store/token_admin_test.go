package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestTokenExpiryAndRevocation(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		clock := &manualClock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
		s = s.WithClock(clock.Now)
		ctx := panel.WithActor(context.Background(), panel.Actor{Name: "ops", Role: panel.RoleOrganiser})
		denied := func(what string, secret panel.Secret) {
			t.Helper()
			if _, err := s.Authenticate(ctx, secret); panel.ErrorCode(err) != panel.EUNAUTHORIZED {
				t.Errorf("%s: Authenticate got %v, want unauthorized", what, err)
			}
		}
		allowed := func(what string, secret panel.Secret) {
			t.Helper()
			if _, err := s.Authenticate(ctx, secret); err != nil {
				t.Errorf("%s: Authenticate got %v, want the token", what, err)
			}
		}

		past := clock.now.Add(-time.Second)
		if _, _, err := s.IssueToken(ctx, panel.TokenRequest{Role: panel.RoleAuditor, Name: "late", ExpiresAt: &past}); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("expiry in the past: got %v, want invalid", err)
		}
		in := clock.now.Add(time.Hour)
		short, shortSecret, err := s.IssueToken(ctx, panel.TokenRequest{Role: panel.RoleAuditor, Name: "grafana", ExpiresAt: &in})
		if err != nil || short.ExpiresAt == nil || !short.ExpiresAt.Equal(in) {
			t.Fatalf("IssueToken with expiry: got %+v, %v", short, err)
		}
		_, olaA, err := s.IssueToken(ctx, panel.TokenRequest{Role: panel.RoleOrganiser, Name: "ola"})
		if err != nil {
			t.Fatal(err)
		}
		_, olaB, err := s.IssueToken(ctx, panel.TokenRequest{Role: panel.RoleOrganiser, Name: "ola"})
		if err != nil {
			t.Fatal(err)
		}
		kari, kariSecret, err := s.IssueToken(ctx, panel.TokenRequest{Role: panel.RoleOrganiser, Name: "kari"})
		if err != nil {
			t.Fatal(err)
		}
		allowed("before expiry", shortSecret)
		clock.Advance(time.Hour - time.Microsecond)
		allowed("just before expiry", shortSecret)
		clock.Advance(time.Microsecond)
		denied("at expiry", shortSecret)

		revoked, err := s.RevokeTokensNamed(ctx, "ola")
		if err != nil || len(revoked) != 2 || revoked[0].RevokedAt == nil {
			t.Fatalf("RevokeTokensNamed(ola): got %v, %v; want both", revoked, err)
		}
		denied("revoked by name (first)", olaA)
		denied("revoked by name (second)", olaB)
		if _, err := s.RevokeTokensNamed(ctx, "ola"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("revoke ola again: got %v, want not found", err)
		}
		allowed("another name", kariSecret)
		got, err := s.RevokeTokenByID(ctx, kari.ID)
		if err != nil || got.RevokedAt == nil {
			t.Fatalf("RevokeTokenByID: got %+v, %v", got, err)
		}
		denied("revoked by id", kariSecret)
		first := *got.RevokedAt
		clock.Advance(time.Minute)
		if again, err := s.RevokeTokenByID(ctx, kari.ID); err != nil || !again.RevokedAt.Equal(first) {
			t.Errorf("revoke twice: got %+v, %v; want the first time kept", again, err)
		}
		if _, err := s.RevokeTokenByID(ctx, 9999); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("unknown id: got %v, want not found", err)
		}

		list, err := s.ListTokens(ctx)
		if err != nil || len(list) != 4 {
			t.Fatalf("ListTokens: got %d, %v; want 4", len(list), err)
		}
		for _, tok := range list {
			if tok.Active(clock.now) {
				t.Errorf("token %d %s is still active", tok.ID, tok.Name)
			}
		}
		events, err := s.ListAuditEvents(ctx, panel.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range events {
			count[e.Action]++
			if e.Actor != "ops" {
				t.Errorf("audit %s: actor %q, want ops", e.Action, e.Actor)
			}
		}
		if count["token.created"] != 4 || count["token.revoked"] != 3 {
			t.Errorf("audit events: got %v, want 4 created and 3 revoked", count)
		}
	})
}
