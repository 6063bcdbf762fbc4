package erasure_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/erasure"
	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/internal/twiliosms"
)

// clock is a settable clock shared by the store and the worker.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// rawDB opens a plain connection to the test database for fixtures the
// store has no call for.
func rawDB(t *testing.T, db storetest.Database) (*sql.DB, func(string) string) {
	t.Helper()
	driver, dsn := "pgx", db.URL
	if db.Name == store.DialectSQLite {
		driver, dsn = "sqlite", strings.TrimPrefix(db.URL, "sqlite:")+"?_pragma=busy_timeout(10000)"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", db.Name, err)
	}
	raw.SetMaxOpenConns(1)
	t.Cleanup(func() { raw.Close() })
	rebind := func(q string) string {
		if db.Name != store.DialectPostgres {
			return q
		}
		var b strings.Builder
		n := 0
		for _, r := range q {
			if r == '?' {
				n++
				fmt.Fprintf(&b, "$%d", n)
				continue
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	return raw, rebind
}

func TestWorkerDeletesPurgedMessagesAtTwilioAndOldUnknownSMS(t *testing.T) {
	t.Parallel()
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			t.Parallel()
			db.SkipIfUnavailable(t)
			ctx := context.Background()
			clk := &clock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
			st := storetest.Open(t, db).WithClock(clk.Now)
			raw, rebind := rawDB(t, db)
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := raw.Exec(rebind(q), args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			count := func(q string, args ...any) int {
				t.Helper()
				var n int
				if err := raw.QueryRow(rebind(q), args...).Scan(&n); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				return n
			}

			fake := faketwilio.New(faketwilio.Options{Seed: 1, Clock: clk.Now})
			base, err := fake.Start()
			if err != nil {
				t.Fatalf("start fake twilio: %v", err)
			}
			t.Cleanup(fake.Close)
			var logs strings.Builder
			var logMu sync.Mutex
			logger := slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, nil))
			gw, err := twiliosms.New(twiliosms.Config{AccountSID: fake.AccountSID(), AuthToken: panel.Secret(fake.AuthToken()), From: "+4759440000", BaseURL: base})
			if err != nil {
				t.Fatalf("twiliosms.New: %v", err)
			}
			t.Cleanup(gw.CloseIdleConnections)

			// A closed campaign whose two invitations went out through Twilio.
			c := panel.NewCampaign()
			c.Name, c.InvitationText = "Trondheim", "Hei! Svar JA."
			if err := st.CreateCampaign(ctx, c); err != nil {
				t.Fatalf("CreateCampaign: %v", err)
			}
			var sids []string
			for i, to := range []panel.Phone{"+4791000001", "+4791000002"} {
				rec, err := gw.Send(ctx, panel.OutboundSMS{To: to, Body: "Hei! Svar JA."})
				if err != nil {
					t.Fatalf("Send: %v", err)
				}
				sids = append(sids, rec.ProviderID)
				waitFinal(t, fake, rec.ProviderID)
				exec(`INSERT INTO recipients (campaign_id, phone, pseudonym, state) VALUES (?, ?, ?, 'invited')`, c.ID, string(to), fmt.Sprintf("r%d", i))
				exec(`INSERT INTO outbound_messages (campaign_id, recipient_id, kind, body, state, dedup_key, provider_id)
SELECT campaign_id, id, 'invitation', 'Hei! Svar JA.', 'delivered', 'inv/' || id, ? FROM recipients WHERE pseudonym = ?`, rec.ProviderID, fmt.Sprintf("r%d", i))
			}
			if _, err := st.CloseCampaign(ctx, c.ID); err != nil {
				t.Fatalf("CloseCampaign: %v", err)
			}
			res, err := st.PurgeCampaign(ctx, c.ID)
			if err != nil || res.ProviderMessages != 2 {
				t.Fatalf("PurgeCampaign: got %+v, %v; want 2 provider messages", res, err)
			}

			observed := map[string]int{}
			w, err := erasure.New(st, gw, erasure.Config{Now: clk.Now, Logger: logger, Observe: func(r string, n int) { observed[r] += n }})
			if err != nil {
				t.Fatalf("erasure.New: %v", err)
			}
			round := func(want erasure.Result) {
				t.Helper()
				got, err := w.Round(ctx)
				if err != nil || got != want {
					t.Fatalf("Round: got %+v, %v; want %+v", got, err, want)
				}
			}

			// Twilio fails once: recorded and retried later, never dropped.
			fake.FailDeletesNext(1, 503)
			round(erasure.Result{Deleted: 1, Failed: 1})
			if n := count(`SELECT count(*) FROM provider_deletions WHERE attempts = 1 AND last_error LIKE '%503%'`); n != 1 {
				t.Errorf("got %d deletions recorded as failed once with the 503, want 1", n)
			}
			if n := len(fake.Messages()); n != 1 {
				t.Errorf("Twilio holds %d messages after the first round, want 1", n)
			}
			round(erasure.Result{}) // not due yet
			clk.Advance(erasure.Backoff(1))
			round(erasure.Result{Deleted: 1})
			if got := fake.Deleted(); !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(sids))) {
				t.Errorf("deleted at Twilio: got %v, want %v", got, sids)
			}
			if n := len(fake.Messages()); n != 0 {
				t.Errorf("Twilio still holds %d messages", n)
			}
			if n := count(`SELECT count(*) FROM provider_deletions`); n != 0 {
				t.Errorf("%d provider ids left in the database after their deletion", n)
			}
			if n := count(`SELECT count(*) FROM outbound_messages WHERE provider_id IS NOT NULL`); n != 0 {
				t.Errorf("%d messages still hold a Twilio SID", n)
			}
			logMu.Lock()
			if !strings.Contains(logs.String(), "provider message deletion failed") || strings.Contains(logs.String(), "+4791") {
				t.Errorf("logs: want the failure, without numbers; got %s", logs.String())
			}
			logMu.Unlock()

			// SMS from numbers in no campaign go after the retention period.
			at := func(d time.Duration) string {
				return clk.Now().Add(-d).UTC().Format("2006-01-02 15:04:05.000+00:00")
			}
			exec(`INSERT INTO inbound_messages (provider_id, from_number, to_number, body, state, received_at) VALUES ('SMold', '+4798765432', '+4759440000', 'Hvem er dere?', 'ignored', '` + at(panel.DefaultUnknownInboundRetention+time.Hour) + `')`)
			exec(`INSERT INTO inbound_messages (provider_id, from_number, to_number, body, state, received_at) VALUES ('SMnew', '+4798765433', '+4759440000', 'Hallo?', 'ignored', '` + at(24*time.Hour) + `')`)
			round(erasure.Result{InboundPurged: 1})
			if n := count(`SELECT count(*) FROM inbound_messages WHERE provider_id = 'SMnew'`); n != 1 {
				t.Errorf("a message within the retention period was purged")
			}
			round(erasure.Result{Deleted: 1}) // SMold at Twilio: unknown to the fake, so gone already
			if n := count(`SELECT count(*) FROM provider_deletions`); n != 0 {
				t.Errorf("%d provider deletions left", n)
			}
			if want := map[string]int{"deleted": 2, "failed": 1, "gone": 1, "unknown_inbound_purged": 1}; fmt.Sprint(observed) != fmt.Sprint(want) {
				t.Errorf("observed: got %v, want %v", observed, want)
			}
		})
	}
}

// lockedWriter serialises writes to a strings.Builder.
type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		failed int
		want   time.Duration
	}{
		{1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute}, {9, 256 * time.Minute}, {10, erasure.MaxBackoff}, {100, erasure.MaxBackoff},
	}
	for _, tt := range tests {
		if got := erasure.Backoff(tt.failed); got != tt.want {
			t.Errorf("Backoff(%d): got %s, want %s", tt.failed, got, tt.want)
		}
	}
}

// waitFinal waits until Twilio is done with the message: it refuses to
// delete one in progress.
func waitFinal(t *testing.T, fake *faketwilio.Server, sid string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if m, ok := fake.Message(sid); ok {
			switch m.Status {
			case "sent", "delivered", "undelivered", "failed":
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("message %s is still in progress at the fake Twilio", sid)
}
