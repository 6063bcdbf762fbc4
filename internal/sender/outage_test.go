package sender_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
)

// flakyOutbox is the real store whose first writes of provider ids
// (MarkSentBatch or MarkSent) fail as an unreachable database does.
type flakyOutbox struct {
	*store.Store
	mu       sync.Mutex
	failures int
}

// down reports whether this write fails, counting it.
func (f *flakyOutbox) down() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failures > 0 {
		f.failures--
		return true
	}
	return false
}

func (f *flakyOutbox) MarkSentBatch(ctx context.Context, owner string, results []panel.SentResult) ([]int64, error) {
	if f.down() {
		return nil, panel.Errorf(panel.EUNAVAILABLE, "database unavailable")
	}
	return f.Store.MarkSentBatch(ctx, owner, results)
}

func (f *flakyOutbox) MarkSent(ctx context.Context, id int64, owner, providerID, status string) error {
	if f.down() {
		return panel.Errorf(panel.EUNAVAILABLE, "database unavailable")
	}
	return f.Store.MarkSent(ctx, id, owner, providerID, status)
}

// TestProviderIDsKeptThroughAShortOutage: when storing a batch's provider
// ids fails because the database is briefly unavailable, the sender tries
// again, so the messages end sent within the same Drain instead of waiting
// in doubt for their lease to end; nothing is sent twice.
func TestProviderIDsKeptThroughAShortOutage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, 40)
		flaky := &flakyOutbox{Store: s, failures: 3}
		snd := e.sender("a", func(c *senderSetup) { c.Outbox = flaky })
		if err := snd.Drain(context.Background()); err != nil {
			t.Fatalf("Drain: %v", err)
		}
		if st := e.stats(); st.Sending != 0 || st.Sent+st.Delivered != 40 {
			t.Errorf("after one Drain through the outage: got %+v, want all 40 sent, none in doubt", st)
		}
		if got := e.fake.Requests(); got != 40 {
			t.Errorf("create requests: got %d, want 40", got)
		}
		e.assertOncePerNumber(nil)
		if logs := e.logs.String(); strings.Count(logs, "will store the batch's provider ids again") != 3 {
			t.Errorf("want 3 retry warnings in the logs:\n%.2000s", logs)
		}
	})
}
