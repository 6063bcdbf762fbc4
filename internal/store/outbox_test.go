package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// outboxT0 is the fixed time of outbox tests.
var outboxT0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// invitations returns one invitation per recipient id from..to (inclusive).
func invitations(campaignID int64, from, to int64) []*panel.OutboundMessage {
	var out []*panel.OutboundMessage
	for id := from; id <= to; id++ {
		out = append(out, &panel.OutboundMessage{
			CampaignID: campaignID, RecipientID: id, Kind: panel.KindInvitation,
			Body: "Hei! Vil du være med i innbyggerpanelet?", DedupKey: fmt.Sprintf("invitation/%d/%d", campaignID, id),
		})
	}
	return out
}

// seedOutbox imports n recipients (ids 1..n in a fresh database) and
// enqueues an invitation for each, due at outboxT0.
func seedOutbox(t testing.TB, s *store.Store, n int) *panel.Campaign {
	t.Helper()
	ctx := context.Background()
	c := newCampaign(t, s, "outbox")
	if _, err := s.ImportRecipients(ctx, c.ID, recipientRows(n)); err != nil {
		t.Fatalf("ImportRecipients: %v", err)
	}
	created, err := s.WithClock(func() time.Time { return outboxT0 }).Enqueue(ctx, invitations(c.ID, 1, int64(n)))
	if err != nil || created != n {
		t.Fatalf("Enqueue: got %d, %v, want %d created", created, err, n)
	}
	return c
}

func claimIDs(msgs []*panel.OutboundMessage) []int64 {
	ids := make([]int64, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	return ids
}

func stats(t testing.TB, s *store.Store, campaignID int64) panel.SendStats {
	t.Helper()
	st, err := s.CampaignSendStats(context.Background(), campaignID)
	if err != nil {
		t.Fatalf("CampaignSendStats: %v", err)
	}
	return st
}

func TestEnqueueIsIdempotent(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := seedOutbox(t, s, 10)
		msgs := append(invitations(c.ID, 5, 10), invitations(c.ID, 5, 5)...) // all known, one twice
		if created, err := s.Enqueue(ctx, msgs); err != nil || created != 0 {
			t.Errorf("re-enqueue: got %d, %v, want 0 created and no error", created, err)
		}
		if got := stats(t, s, c.ID); got != (panel.SendStats{Queued: 10}) {
			t.Errorf("got %+v, want 10 queued", got)
		}
		bad := invitations(c.ID, 1, 1)
		bad[0].DedupKey = ""
		if _, err := s.Enqueue(ctx, bad); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("got %v, want EINVALID for a message without dedup key", err)
		}
	})
}

func TestOptedOutRecipientsAreNeverSent(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := seedOutbox(t, s, 3)
		// Recipient 2 opts out after the invitation was queued, recipient 3
		// before a reminder is queued.
		if err := s.ExecRaw(ctx, "UPDATE recipients SET state = 'opted_out' WHERE id IN (2, 3)"); err != nil {
			t.Fatal(err)
		}
		reminder := invitations(c.ID, 3, 3)
		reminder[0].Kind, reminder[0].DedupKey = panel.KindReminder, "reminder/3"
		if created, err := s.Enqueue(ctx, reminder); err != nil || created != 0 {
			t.Errorf("got %d, %v, want nothing enqueued for an opted-out recipient", created, err)
		}
		got, err := s.Claim(ctx, "a", outboxT0, 10, time.Minute)
		if err != nil {
			t.Fatalf("Claim: %v", err)
		}
		if ids := claimIDs(got); !slices.Equal(ids, []int64{1}) {
			t.Errorf("got claimed %v, want [1]", ids)
		}
		if got := stats(t, s, c.ID); got != (panel.SendStats{Sending: 1, Cancelled: 2}) {
			t.Errorf("got %+v, want 1 sending and 2 cancelled", got)
		}
	})
}

func TestClaimTakesDueMessagesOnce(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := seedOutbox(t, s, 5)
		if got, _ := s.Claim(ctx, "a", outboxT0.Add(-time.Second), 10, time.Minute); len(got) != 0 {
			t.Errorf("got %d claimed before they are due, want 0", len(got))
		}
		got, err := s.Claim(ctx, "a", outboxT0, 3, time.Minute)
		if err != nil {
			t.Fatalf("Claim: %v", err)
		}
		if ids := claimIDs(got); !slices.Equal(ids, []int64{1, 2, 3}) {
			t.Fatalf("got %v, want [1 2 3]", ids)
		}
		m := got[0]
		if m.State != panel.MessageSending || m.LeaseOwner != "a" || !m.LeaseUntil.Equal(outboxT0.Add(time.Minute)) ||
			m.Attempts != 1 || m.To != testPhone(0) || m.InDoubt || m.CampaignID != c.ID {
			t.Errorf("got %+v, want sending, owner a, lease to t0+1m, 1 attempt, first number, not in doubt", m)
		}
		rest, err := s.Claim(ctx, "b", outboxT0, 10, time.Minute)
		if err != nil {
			t.Fatalf("Claim: %v", err)
		}
		if ids := claimIDs(rest); !slices.Equal(ids, []int64{4, 5}) {
			t.Errorf("second claimer got %v, want [4 5]", ids)
		}
	})
}

func TestClaimSkipsPausedCampaigns(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := seedOutbox(t, s, 2)
		if err := s.ExecRaw(ctx, "UPDATE campaigns SET state = 'paused' WHERE id = ?", c.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Claim(ctx, "a", outboxT0, 10, time.Minute); err != nil || len(got) != 0 {
			t.Errorf("paused: got %d, %v, want nothing claimed", len(got), err)
		}
		if err := s.ExecRaw(ctx, "UPDATE campaigns SET state = 'sending' WHERE id = ?", c.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Claim(ctx, "a", outboxT0, 10, time.Minute); err != nil || len(got) != 2 {
			t.Errorf("resumed: got %d, %v, want 2 claimed", len(got), err)
		}
	})
}

func TestExpiredLeaseIsTakenOver(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := seedOutbox(t, s, 2)
		if got, err := s.Claim(ctx, "a", outboxT0, 10, time.Minute); err != nil || len(got) != 2 {
			t.Fatalf("a: got %d, %v, want 2", len(got), err)
		}
		if got, _ := s.Claim(ctx, "b", outboxT0.Add(30*time.Second), 10, time.Minute); len(got) != 0 {
			t.Fatalf("b during a's lease: got %d, want 0", len(got))
		}
		got, err := s.Claim(ctx, "b", outboxT0.Add(2*time.Minute), 10, time.Minute)
		if err != nil || len(got) != 2 {
			t.Fatalf("b after a's lease: got %d, %v, want 2", len(got), err)
		}
		if !got[0].InDoubt || got[0].Attempts != 2 || got[0].LeaseOwner != "b" {
			t.Errorf("got %+v, want in doubt, 2 attempts, owner b", got[0])
		}
		tests := []struct {
			name string
			call func() error
		}{
			{"mark sent", func() error { return s.MarkSent(ctx, 1, "a", "SMa1", "queued") }},
			{"retry", func() error { return s.Retry(ctx, 1, "a", outboxT0, 20429, "too many") }},
			{"release", func() error { return s.Release(ctx, 1, "a", outboxT0) }},
			{"fail", func() error { return s.Fail(ctx, 1, "a", 21211, "invalid") }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := tt.call(); panel.ErrorCode(err) != panel.ECONFLICT {
					t.Errorf("old owner: got %v, want ECONFLICT", err)
				}
			})
		}
		lost, err := s.MarkSentBatch(ctx, "b", []panel.SentResult{{ID: 1, ProviderID: "SMb1"}, {ID: 2, ProviderID: "SMb2"}})
		if err != nil || len(lost) != 0 {
			t.Fatalf("new owner: got lost %v, %v, want none", lost, err)
		}
		if got := stats(t, s, c.ID); got != (panel.SendStats{Sent: 2}) {
			t.Errorf("got %+v, want 2 sent", got)
		}
		if lost, err := s.MarkSentBatch(ctx, "b", []panel.SentResult{{ID: 1, ProviderID: "SMb3"}}); err != nil || !slices.Equal(lost, []int64{1}) {
			t.Errorf("marking twice: got lost %v, %v, want [1]", lost, err)
		}
		counts, err := s.CountRecipientsByState(ctx, c.ID)
		if err != nil || counts[panel.RecipientInvited] != 2 {
			t.Errorf("got recipient counts %v, %v, want 2 invited", counts, err)
		}
	})
}

func TestRetryAndRelease(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		seedOutbox(t, s, 2)
		if _, err := s.Claim(ctx, "a", outboxT0, 10, time.Minute); err != nil {
			t.Fatal(err)
		}
		later := outboxT0.Add(10 * time.Second)
		if err := s.Retry(ctx, 1, "a", later, 20429, "Too Many Requests"); err != nil {
			t.Fatalf("Retry: %v", err)
		}
		if err := s.Release(ctx, 2, "a", later); err != nil {
			t.Fatalf("Release: %v", err)
		}
		if got, _ := s.Claim(ctx, "a", later.Add(-time.Microsecond), 10, time.Minute); len(got) != 0 {
			t.Errorf("got %d claimed before the retry time, want 0", len(got))
		}
		got, err := s.Claim(ctx, "a", later, 10, time.Minute)
		if err != nil || len(got) != 2 {
			t.Fatalf("got %d, %v, want 2", len(got), err)
		}
		tests := []struct {
			name         string
			m            *panel.OutboundMessage
			wantAttempts int
			wantCode     int
		}{
			{"retried counts an attempt", got[0], 2, 20429},
			{"released does not", got[1], 1, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.m.Attempts != tt.wantAttempts || tt.m.LastErrorCode != tt.wantCode || tt.m.InDoubt {
					t.Errorf("got attempts %d code %d in doubt %t, want %d, %d, false", tt.m.Attempts, tt.m.LastErrorCode, tt.m.InDoubt, tt.wantAttempts, tt.wantCode)
				}
			})
		}
	})
}

func TestFailMarksRecipient(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := seedOutbox(t, s, 2)
		if _, err := s.Claim(ctx, "a", outboxT0, 10, time.Minute); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name      string
			id        int64
			code      int
			wantState string
		}{
			{"unsubscribed opts out", 1, 21610, panel.RecipientOptedOut},
			{"invalid number is unreachable", 2, 21211, panel.RecipientUnreachable},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := s.Fail(ctx, tt.id, "a", tt.code, "refused"); err != nil {
					t.Fatalf("Fail: %v", err)
				}
				r, err := s.FindRecipient(ctx, tt.id)
				if err != nil {
					t.Fatal(err)
				}
				if r.State != tt.wantState {
					t.Errorf("got recipient state %q, want %q", r.State, tt.wantState)
				}
			})
		}
		if got := stats(t, s, c.ID); got != (panel.SendStats{Failed: 2}) {
			t.Errorf("got %+v, want 2 failed", got)
		}
		if got, _ := s.Claim(ctx, "a", outboxT0.Add(time.Hour), 10, time.Minute); len(got) != 0 {
			t.Errorf("got %d claimed after failing, want 0", len(got))
		}
	})
}

func TestApplyStatusMovesForwardOnly(t *testing.T) {
	t.Parallel()
	type cb struct {
		status string
		code   int
	}
	tests := []struct {
		name      string
		early     []cb // arrive before MarkSent stores the provider id
		late      []cb
		wantState string
		wantCode  int
	}{
		{"in order", nil, []cb{{"queued", 0}, {"sent", 0}, {"delivered", 0}}, panel.MessageDelivered, 0},
		{"out of order", nil, []cb{{"delivered", 0}, {"sent", 0}, {"queued", 0}}, panel.MessageDelivered, 0},
		{"duplicates", nil, []cb{{"sent", 0}, {"delivered", 0}, {"delivered", 0}, {"sent", 0}}, panel.MessageDelivered, 0},
		{"failure is final", nil, []cb{{"undelivered", 30003}, {"delivered", 0}}, panel.MessageUndelivered, 30003},
		{"delivered stays", nil, []cb{{"delivered", 0}, {"failed", 30008}}, panel.MessageDelivered, 0},
		{"before the id is stored", []cb{{"queued", 0}, {"delivered", 0}}, []cb{{"sent", 0}}, panel.MessageDelivered, 0},
		{"failure before the id", []cb{{"failed", 30006}}, nil, panel.MessageFailed, 30006},
		{"unknown status", nil, []cb{{"receiving", 0}}, panel.MessageSent, 0},
	}
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		ctx := context.Background()
		seedOutbox(t, s, len(tests))
		if _, err := s.Claim(ctx, "a", outboxT0, len(tests), time.Minute); err != nil {
			t.Fatal(err)
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id, sid := int64(i+1), fmt.Sprintf("SM%032d", i)
				for _, e := range tt.early {
					if err := s.ApplyStatus(ctx, sid, e.status, e.code, outboxT0); err != nil {
						t.Fatalf("ApplyStatus early: %v", err)
					}
				}
				if err := s.MarkSent(ctx, id, "a", sid, "queued"); err != nil {
					t.Fatalf("MarkSent: %v", err)
				}
				for _, e := range tt.late {
					if err := s.ApplyStatus(ctx, sid, e.status, e.code, outboxT0); err != nil {
						t.Fatalf("ApplyStatus: %v", err)
					}
				}
				got, err := s.Claim(ctx, "probe", outboxT0.Add(30*time.Second), 1000, time.Minute)
				if err != nil || len(got) != 0 {
					t.Fatalf("got %d claimable, %v, want none", len(got), err)
				}
				m, err := s.FindOutboundMessage(ctx, id)
				if err != nil {
					t.Fatalf("FindOutboundMessage: %v", err)
				}
				if m.State != tt.wantState || m.LastErrorCode != tt.wantCode || m.ProviderID != sid {
					t.Errorf("got state %q code %d provider id %q, want %q %d %q", m.State, m.LastErrorCode, m.ProviderID, tt.wantState, tt.wantCode, sid)
				}
			})
		}
		if err := s.ApplyStatus(ctx, "", "sent", 0, outboxT0); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("got %v, want EINVALID for an empty id", err)
		}
		if _, err := s.FindOutboundMessage(ctx, 1<<40); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("got %v, want ENOTFOUND for an unknown message", err)
		}
	})
}

func TestClaimIsExclusiveAcrossHandles(t *testing.T) {
	t.Parallel()
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			t.Parallel()
			const n = 2000
			handles := []*store.Store{storetest.Open(t, db), storetest.Open(t, db)}
			seedOutbox(t, handles[0], n)
			ctx := context.Background()
			claimed := make([][]int64, 2*len(handles))
			var wg sync.WaitGroup
			errs := make(chan error, len(claimed))
			for w := range claimed {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s := handles[w%len(handles)]
					owner := fmt.Sprintf("owner-%d", w)
					for {
						got, err := s.Claim(ctx, owner, outboxT0, 37, time.Minute)
						if err != nil {
							errs <- err
							return
						}
						if len(got) == 0 {
							return
						}
						claimed[w] = append(claimed[w], claimIDs(got)...)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("Claim: %v", err)
			}
			seen := make(map[int64]int)
			for w, ids := range claimed {
				for _, id := range ids {
					if prev, dup := seen[id]; dup {
						t.Fatalf("message %d claimed by owner-%d and owner-%d", id, prev, w)
					}
					seen[id] = w
				}
			}
			if len(seen) != n {
				t.Errorf("got %d distinct messages claimed, want %d", len(seen), n)
			}
		})
	}
}
