package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func appendEvents(t *testing.T, s *store.Store, n int) []*panel.AuditEvent {
	t.Helper()
	var out []*panel.AuditEvent
	for i := 1; i <= n; i++ {
		e := &panel.AuditEvent{
			Actor:   "ops",
			Action:  "campaign.updated",
			Subject: fmt.Sprintf("campaign/%d", i%2+1),
			Details: json.RawMessage(fmt.Sprintf(`{"step": %d, "note": "<ok> & fine"}`, i)),
		}
		if err := s.AppendAudit(context.Background(), e); err != nil {
			t.Fatalf("AppendAudit %d: %v", i, err)
		}
		out = append(out, e)
	}
	return out
}

func TestAppendAuditChains(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := &manualClock{now: time.Date(2026, 11, 25, 20, 0, 0, 987654321, time.UTC)}
		s = s.WithClock(clock.Now)
		first := &panel.AuditEvent{Actor: "cli", Action: "token.created", Subject: "token/1"}
		if err := s.AppendAudit(ctx, first); err != nil {
			t.Fatalf("AppendAudit: %v", err)
		}
		clock.Advance(time.Minute)
		second := &panel.AuditEvent{Actor: "ops", Action: "campaign.created", Subject: "campaign/1",
			Details: json.RawMessage(` {"b": 1, "a": {"y": [1, 2.50], "x": null}} `)}
		if err := s.AppendAudit(ctx, second); err != nil {
			t.Fatalf("AppendAudit: %v", err)
		}

		if first.Seq != 1 || first.PrevHash != panel.AuditZeroHash || string(first.Details) != "{}" {
			t.Errorf("first event: got seq %d prev %s details %s, want 1, zeros, {}", first.Seq, first.PrevHash, first.Details)
		}
		if want := time.Date(2026, 11, 25, 20, 0, 0, 987654000, time.UTC); !first.At.Equal(want) {
			t.Errorf("first event: got at %v, want %v", first.At, want)
		}
		if second.Seq != 2 || second.PrevHash != first.Hash {
			t.Errorf("second event: got seq %d prev %s, want 2, %s", second.Seq, second.PrevHash, first.Hash)
		}
		if want := `{"a":{"x":null,"y":[1,2.50]},"b":1}`; string(second.Details) != want {
			t.Errorf("second event: got details %s, want %s", second.Details, want)
		}
		for _, e := range []*panel.AuditEvent{first, second} {
			if got := panel.AuditHash(e); got != e.Hash {
				t.Errorf("seq %d: got hash %s, want AuditHash %s", e.Seq, e.Hash, got)
			}
		}

		stored, err := s.ListAuditEvents(ctx, panel.AuditFilter{})
		if err != nil {
			t.Fatalf("ListAuditEvents: %v", err)
		}
		if len(stored) != 2 {
			t.Fatalf("got %d events, want 2", len(stored))
		}
		for i, want := range []*panel.AuditEvent{first, second} {
			got := stored[i]
			if got.Seq != want.Seq || !got.At.Equal(want.At) || got.Actor != want.Actor || got.Action != want.Action ||
				got.Subject != want.Subject || string(got.Details) != string(want.Details) ||
				got.PrevHash != want.PrevHash || got.Hash != want.Hash {
				t.Errorf("stored event %d: got %+v, want %+v", i, got, want)
			}
		}
		n, err := s.VerifyAuditChain(ctx)
		if err != nil || n != 2 {
			t.Errorf("VerifyAuditChain: got %d, %v, want 2, nil", n, err)
		}
	})
}

func TestAppendAuditInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		event   panel.AuditEvent
		wantMsg string
	}{
		{"no actor", panel.AuditEvent{Action: "x"}, "audit actor is required"},
		{"no action", panel.AuditEvent{Actor: "ops"}, "audit action is required"},
		{"array details", panel.AuditEvent{Actor: "ops", Action: "x", Details: json.RawMessage(`[1]`)}, "audit details must be a JSON object"},
		{"broken details", panel.AuditEvent{Actor: "ops", Action: "x", Details: json.RawMessage(`{"a":`)}, "audit details must be a JSON object"},
		{"trailing data", panel.AuditEvent{Actor: "ops", Action: "x", Details: json.RawMessage(`{} {}`)}, "audit details must be a JSON object"},
	}
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e := tt.event
				err := s.AppendAudit(context.Background(), &e)
				if panel.ErrorCode(err) != panel.EINVALID || !strings.HasPrefix(panel.ErrorMessage(err), tt.wantMsg) {
					t.Errorf("got %q %q, want %q starting %q", panel.ErrorCode(err), panel.ErrorMessage(err), panel.EINVALID, tt.wantMsg)
				}
			})
		}
		if n, err := s.VerifyAuditChain(context.Background()); n != 0 || err != nil {
			t.Errorf("after rejected appends: got %d events, %v; want 0, nil", n, err)
		}
	})
}

func TestListAuditEventsFilters(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		appendEvents(t, s, 7) // subjects alternate campaign/2, campaign/1, ...
		tests := []struct {
			name     string
			filter   panel.AuditFilter
			wantSeqs string
			wantCode string
		}{
			{"all", panel.AuditFilter{}, "1234567", ""},
			{"after", panel.AuditFilter{AfterSeq: 4}, "567", ""},
			{"subject", panel.AuditFilter{Subject: "campaign/1"}, "246", ""},
			{"subject after", panel.AuditFilter{Subject: "campaign/2", AfterSeq: 3}, "57", ""},
			{"limit", panel.AuditFilter{Limit: 3}, "123", ""},
			{"after the end", panel.AuditFilter{AfterSeq: 7}, "", ""},
			{"negative limit", panel.AuditFilter{Limit: -5}, "", panel.EINVALID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.ListAuditEvents(context.Background(), tt.filter)
				if code := panel.ErrorCode(err); code != tt.wantCode {
					t.Fatalf("got code %q (%v), want %q", code, err, tt.wantCode)
				}
				var seqs strings.Builder
				for _, e := range got {
					fmt.Fprint(&seqs, e.Seq)
				}
				if seqs.String() != tt.wantSeqs {
					t.Errorf("got seqs %q, want %q", seqs.String(), tt.wantSeqs)
				}
			})
		}
	})
}

func TestVerifyAuditChainDetectsTampering(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tamper  string // SQL run after 5 events were appended
		wantMsg string
	}{
		{"edited details", `UPDATE audit_events SET details = '{"note":"<ok> & fine","step":99}' WHERE seq = 3`,
			"audit chain broken at seq 3: hash does not match"},
		{"non-canonical details", `UPDATE audit_events SET details = '{"step": 3, "note": "<ok> & fine"}' WHERE seq = 3`,
			"audit chain broken at seq 3: details are not in canonical form"},
		{"edited actor", `UPDATE audit_events SET actor = 'mallory' WHERE seq = 2`,
			"audit chain broken at seq 2: hash does not match"},
		{"deleted middle row", `DELETE FROM audit_events WHERE seq = 3`,
			"audit chain broken at seq 3: event 3 is missing (the next stored event is 4)"},
		{"deleted first row", `DELETE FROM audit_events WHERE seq = 1`,
			"audit chain broken at seq 1: event 1 is missing"},
		{"altered hash", `UPDATE audit_events SET hash = '` + strings.Repeat("ab", 32) + `' WHERE seq = 4`,
			"audit chain broken at seq 4: hash does not match"},
		{"altered prev_hash", `UPDATE audit_events SET prev_hash = '` + strings.Repeat("cd", 32) + `' WHERE seq = 5`,
			"audit chain broken at seq 5: prev_hash does not match the hash of event 4"},
		{"renumbered", `UPDATE audit_events SET seq = 9 WHERE seq = 5`,
			"audit chain broken at seq 5: event 5 is missing (the next stored event is 9)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s *store.Store) {
				t.Parallel()
				ctx := context.Background()
				appendEvents(t, s, 5)
				if n, err := s.VerifyAuditChain(ctx); n != 5 || err != nil {
					t.Fatalf("before tampering: got %d, %v; want 5, nil", n, err)
				}
				if err := s.ExecRaw(ctx, tt.tamper); err != nil {
					t.Fatalf("tamper: %v", err)
				}
				_, err := s.VerifyAuditChain(ctx)
				if panel.ErrorCode(err) != panel.EINVALID || !strings.HasPrefix(panel.ErrorMessage(err), tt.wantMsg) {
					t.Errorf("got %q %q, want %q starting %q", panel.ErrorCode(err), panel.ErrorMessage(err), panel.EINVALID, tt.wantMsg)
				}
			})
		})
	}
}

func TestVerifyAuditChainAcrossBatches(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n = 1203 // more than two verify batches
		err := s.InTx(ctx, func(tx *store.Store) error {
			for i := range n {
				if err := tx.AppendAudit(ctx, &panel.AuditEvent{Actor: "sim", Action: "tick", Details: json.RawMessage(fmt.Sprintf(`{"i":%d}`, i))}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("append %d events: %v", n, err)
		}
		if got, err := s.VerifyAuditChain(ctx); got != n || err != nil {
			t.Fatalf("got %d, %v; want %d, nil", got, err, n)
		}
		if err := s.ExecRaw(ctx, `UPDATE audit_events SET subject = 'x' WHERE seq = 1100`); err != nil {
			t.Fatalf("tamper: %v", err)
		}
		got, err := s.VerifyAuditChain(ctx)
		if want := "audit chain broken at seq 1100: "; got != 1099 || !strings.HasPrefix(panel.ErrorMessage(err), want) {
			t.Errorf("got %d, %q; want 1099 checked and a message starting %q", got, panel.ErrorMessage(err), want)
		}
	})
}

func TestAppendAuditConcurrent(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n = 50
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				errs <- s.AppendAudit(ctx, &panel.AuditEvent{
					Actor: fmt.Sprintf("replica-%d", i%3), Action: "message.sent",
					Subject: fmt.Sprintf("message/%d", i),
				})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent AppendAudit: %v", err)
			}
		}
		got, err := s.VerifyAuditChain(ctx)
		if got != n || err != nil {
			t.Errorf("VerifyAuditChain: got %d, %v; want %d, nil", got, err, n)
		}
		events, err := s.ListAuditEvents(ctx, panel.AuditFilter{})
		if err != nil {
			t.Fatalf("ListAuditEvents: %v", err)
		}
		subjects := map[string]bool{}
		for i, e := range events {
			if e.Seq != int64(i+1) {
				t.Errorf("event %d: got seq %d, want %d", i, e.Seq, i+1)
			}
			subjects[e.Subject] = true
		}
		if len(subjects) != n {
			t.Errorf("got %d distinct subjects, want %d (each append stored once)", len(subjects), n)
		}
	})
}
