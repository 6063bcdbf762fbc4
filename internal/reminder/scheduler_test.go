package reminder_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// The reference round: four meetings at 18:00 in Oslo, the panel confirmed
// more than a week before the first. Ticking every three hours of fake time
// (through a restart halfway) sends exactly 8 reminders per member, each at
// 12:00 local on the right day, with the meeting's date in Norwegian.
func TestReferenceRound(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		loc := oslo(t)
		local := func(y int, mo time.Month, d, h int) time.Time { return time.Date(y, mo, d, h, 0, 0, 0, loc) }
		e := newEnv(t, db, local(2026, 11, 10, 10), 3)
		meetings := []*panel.Meeting{
			e.meeting(t, "Samling 1", local(2026, 11, 25, 18)),
			e.meeting(t, "Samling 2", local(2026, 12, 2, 18)),
			e.meeting(t, "Samling 3", local(2026, 12, 9, 18)),
			e.meeting(t, "Samling 4", local(2027, 1, 20, 18)),
		}
		want := map[int64][]time.Time{
			meetings[0].ID: {local(2026, 11, 18, 12), local(2026, 11, 24, 12)},
			meetings[1].ID: {local(2026, 11, 25, 12), local(2026, 12, 1, 12)},
			meetings[2].ID: {local(2026, 12, 2, 12), local(2026, 12, 8, 12)},
			meetings[3].ID: {local(2027, 1, 13, 12), local(2027, 1, 19, 12)},
		}
		wantDate := map[int64]string{
			meetings[0].ID: "onsdag 25. november kl. 18:00",
			meetings[1].ID: "onsdag 2. desember kl. 18:00",
			meetings[2].ID: "onsdag 9. desember kl. 18:00",
			meetings[3].ID: "onsdag 20. januar kl. 18:00", // sent in January: no year
		}

		s := e.scheduler(t, e.store)
		restart := local(2026, 12, 5, 0)
		var total reminder.TickResult
		for at := local(2026, 11, 10, 0); at.Before(local(2027, 1, 21, 0)); at = at.Add(3 * time.Hour) {
			if at.Equal(restart) {
				s = e.scheduler(t, e.reopen(t))
			}
			res := e.tick(t, s, at)
			total.Sent += res.Sent
			total.Skipped += res.Skipped
			total.Notices += res.Notices
		}
		if total.Sent != 24 || total.Skipped != 0 || total.Notices != 0 {
			t.Errorf("got %+v, want 24 sent (8 per member), none skipped, no notices", total)
		}
		if got := e.outboxCount(t, panel.KindReminder); got != 24 {
			t.Errorf("got %d reminder messages in the outbox, want 24", got)
		}
		perMember := map[int64]int{}
		for _, m := range meetings {
			list := e.reminders(t, m)
			if len(list) != 6 {
				t.Errorf("%s: got %d reminders, want 6 (2 for each of 3 members)", m.Title, len(list))
			}
			for i, r := range list {
				perMember[r.MemberID]++
				wantAt := want[m.ID][i%2]
				if r.State != panel.ReminderSent || !r.CreatedAt.Equal(wantAt) || !r.DueAt.Equal(wantAt) {
					t.Errorf("%s member %d %s: got %s sent at %s (due %s), want sent at %s", m.Title, r.MemberID, r.Kind, r.State,
						r.CreatedAt.In(loc).Format(time.RFC3339), r.DueAt.In(loc).Format(time.RFC3339), wantAt.Format(time.RFC3339))
				}
				msg, err := e.store.FindOutboundMessage(context.Background(), r.MessageID)
				if err != nil {
					t.Fatalf("FindOutboundMessage: %v", err)
				}
				if !strings.Contains(msg.Body, wantDate[m.ID]) || !strings.Contains(msg.Body, m.Title) {
					t.Errorf("%s: got body %q, want it to name %q", m.Title, msg.Body, wantDate[m.ID])
				}
				if wantKey := reminder.DedupKey(r.MemberID, m.ID, r.Kind); msg.DedupKey != wantKey {
					t.Errorf("got dedup key %q, want %q", msg.DedupKey, wantKey)
				}
			}
		}
		for _, pm := range e.members {
			if perMember[pm.ID] != 8 {
				t.Errorf("member %d: got %d reminders, want 8", pm.ID, perMember[pm.ID])
			}
		}
	})
}

// A restart between two ticks (a new process with its own store handle)
// sends nothing twice, even ticking at the same instant again.
func TestRestartSendsNothingTwice(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		loc := oslo(t)
		e := newEnv(t, db, time.Date(2026, 11, 10, 10, 0, 0, 0, loc), 4)
		e.meeting(t, "Samling 1", time.Date(2026, 11, 25, 18, 0, 0, 0, loc))
		due := time.Date(2026, 11, 18, 12, 0, 0, 0, loc)
		steps := []struct {
			name     string
			restart  bool
			at       time.Time
			wantSent int
		}{
			{"first process on time", false, due, 4},
			{"restarted, same instant", true, due, 0},
			{"restarted, next minute", true, due.Add(time.Minute), 0},
			{"same process, an hour on", false, due.Add(time.Hour), 0},
		}
		s := e.scheduler(t, e.store)
		for _, st := range steps {
			if st.restart {
				s = e.scheduler(t, e.reopen(t))
			}
			if res := e.tick(t, s, st.at); res.Sent != st.wantSent {
				t.Errorf("%s: got %d sent, want %d", st.name, res.Sent, st.wantSent)
			}
		}
		if got := e.outboxCount(t, panel.KindReminder); got != 4 {
			t.Errorf("got %d messages in the outbox, want 4", got)
		}
	})
}

// Two replicas (two store handles, two schedulers) ticking at once, many
// times over, send each reminder once.
func TestReplicasSendOnce(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		loc := oslo(t)
		const members = 20
		e := newEnv(t, db, time.Date(2026, 11, 10, 10, 0, 0, 0, loc), members)
		m := e.meeting(t, "Samling 1", time.Date(2026, 11, 25, 18, 0, 0, 0, loc))
		e.clock.Set(time.Date(2026, 11, 18, 12, 0, 30, 0, loc))
		replicas := []*reminder.Scheduler{e.scheduler(t, e.reopen(t)), e.scheduler(t, e.reopen(t))}
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			sent int
		)
		for _, s := range replicas {
			for range 3 {
				wg.Go(func() {
					res, err := s.Tick(context.Background())
					if err != nil {
						t.Errorf("Tick: %v", err)
					}
					mu.Lock()
					sent += res.Sent
					mu.Unlock()
				})
			}
		}
		wg.Wait()
		if sent != members {
			t.Errorf("got %d sent across replicas, want %d", sent, members)
		}
		if got := e.outboxCount(t, panel.KindReminder); got != members {
			t.Errorf("got %d messages in the outbox, want %d", got, members)
		}
		if got := len(e.reminders(t, m)); got != members {
			t.Errorf("got %d reminder rows, want %d", got, members)
		}
	})
}

// A reminder missed while the service was down is sent late if the
// meeting is at least two hours away, and otherwise skipped and recorded;
// of several missed reminders only the latest is sent.
func TestMissedReminders(t *testing.T) {
	t.Parallel()
	loc := oslo(t)
	start := time.Date(2026, 11, 25, 18, 0, 0, 0, loc)
	type outcome struct{ sent, skipped int }
	tests := []struct {
		name      string
		upAt      time.Time
		wantState map[string]string // kind -> state after the first tick; absent kinds have no row
		want      outcome           // the first tick
		next      time.Time         // a second tick; zero means a minute after upAt
		wantNext  outcome
	}{
		{"first missed, sent late", time.Date(2026, 11, 19, 9, 0, 0, 0, loc),
			map[string]string{"7d@12:00": panel.ReminderSent}, outcome{2, 0}, time.Time{}, outcome{}},
		{"both missed, the latest sent", time.Date(2026, 11, 24, 13, 0, 0, 0, loc),
			map[string]string{"7d@12:00": panel.ReminderSkipped, "1d@12:00": panel.ReminderSent}, outcome{2, 2}, time.Time{}, outcome{}},
		{"exactly two hours before", start.Add(-2 * time.Hour),
			map[string]string{"7d@12:00": panel.ReminderSkipped, "1d@12:00": panel.ReminderSent}, outcome{2, 2}, time.Time{}, outcome{}},
		{"too near the meeting", time.Date(2026, 11, 25, 16, 30, 0, 0, loc),
			map[string]string{"7d@12:00": panel.ReminderSkipped, "1d@12:00": panel.ReminderSkipped}, outcome{0, 4}, time.Time{}, outcome{}},
		{"meeting started", start, map[string]string{}, outcome{}, time.Time{}, outcome{}},
		{"back in quiet hours, sent when they end", time.Date(2026, 11, 24, 21, 0, 0, 0, loc),
			map[string]string{}, outcome{}, time.Date(2026, 11, 25, 8, 0, 0, 0, loc), outcome{2, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			forEachDB(t, func(t *testing.T, db storetest.Database) {
				t.Parallel()
				e := newEnv(t, db, time.Date(2026, 11, 10, 10, 0, 0, 0, loc), 2)
				m := e.meeting(t, "Samling 1", start)
				s := e.scheduler(t, e.store)
				res := e.tick(t, s, tt.upAt)
				if got := (outcome{res.Sent, res.Skipped}); got != tt.want {
					t.Errorf("got %+v, want %+v", got, tt.want)
				}
				list := e.reminders(t, m)
				if len(list) != 2*len(tt.wantState) {
					t.Errorf("got %d reminder rows, want %d", len(list), 2*len(tt.wantState))
				}
				for _, r := range list {
					if want := tt.wantState[r.Kind]; r.State != want {
						t.Errorf("member %d %s: got %s, want %s", r.MemberID, r.Kind, r.State, want)
					}
					if r.State == panel.ReminderSent && !r.CreatedAt.Equal(tt.upAt) {
						t.Errorf("member %d %s: got sent at %v, want %v", r.MemberID, r.Kind, r.CreatedAt, tt.upAt)
					}
				}
				// What was recorded, sent or skipped, is not reconsidered.
				next := tt.next
				if next.IsZero() {
					next = tt.upAt.Add(time.Minute)
				}
				res = e.tick(t, s, next)
				if got := (outcome{res.Sent, res.Skipped}); got != tt.wantNext {
					t.Errorf("next tick: got %+v, want %+v", got, tt.wantNext)
				}
			})
		})
	}
}

// Reminders keep their local wall-clock time across daylight-saving
// changes: 12:00 in Oslo is 11:00 UTC in winter and 10:00 UTC in summer.
func TestDaylightSavingChanges(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		loc := oslo(t)
		e := newEnv(t, db, time.Date(2026, 3, 1, 10, 0, 0, 0, loc), 1)
		spring := e.meeting(t, "Etter sommertid", time.Date(2026, 3, 30, 18, 0, 0, 0, loc))
		autumn := e.meeting(t, "Etter vintertid", time.Date(2026, 10, 26, 18, 0, 0, 0, loc))
		s := e.scheduler(t, e.store)
		for _, span := range [][2]time.Time{
			{time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)},
			{time.Date(2026, 10, 17, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 27, 0, 0, 0, 0, time.UTC)},
		} {
			for at := span[0]; at.Before(span[1]); at = at.Add(time.Hour) {
				e.tick(t, s, at)
			}
		}
		tests := []struct {
			m       *panel.Meeting
			wantUTC []string
		}{
			{spring, []string{"2026-03-23T11:00:00Z", "2026-03-29T10:00:00Z"}},
			{autumn, []string{"2026-10-19T10:00:00Z", "2026-10-25T11:00:00Z"}},
		}
		for _, tt := range tests {
			list := e.reminders(t, tt.m)
			if len(list) != len(tt.wantUTC) {
				t.Fatalf("%s: got %d reminders, want %d", tt.m.Title, len(list), len(tt.wantUTC))
			}
			for i, r := range list {
				if got := r.CreatedAt.UTC().Format(time.RFC3339); got != tt.wantUTC[i] {
					t.Errorf("%s %s: got sent at %s, want %s", tt.m.Title, r.Kind, got, tt.wantUTC[i])
				}
				if got := r.CreatedAt.In(loc).Format("15:04"); got != "12:00" {
					t.Errorf("%s %s: got %s local, want 12:00", tt.m.Title, r.Kind, got)
				}
			}
		}
	})
}

// A changed meeting sends one notice to each member already reminded; a
// cancelled one sends its notice after quiet hours and no more reminders.
func TestChangedAndCancelledMeetings(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		ctx := context.Background()
		loc := oslo(t)
		local := func(mo time.Month, d, h int) time.Time { return time.Date(2026, mo, d, h, 0, 0, 0, loc) }
		e := newEnv(t, db, local(11, 10, 10), 3)
		first := e.meeting(t, "Samling 1", local(11, 25, 18))
		second := e.meeting(t, "Samling 2", local(12, 2, 18))
		s := e.scheduler(t, e.store)
		late := e.members[2]

		// Member 3 is confirmed only after the first reminder went out.
		e.exec(t, fmt.Sprintf(`UPDATE panel_members SET state = 'selected' WHERE id = %d`, late.ID))
		if res := e.tick(t, s, local(11, 18, 12)); res.Sent != 2 {
			t.Fatalf("first reminder: got %d sent, want 2", res.Sent)
		}
		e.exec(t, fmt.Sprintf(`UPDATE panel_members SET state = 'confirmed' WHERE id = %d`, late.ID))

		e.clock.Set(local(11, 19, 10))
		newStart := local(11, 25, 19)
		if _, err := e.store.UpdateMeeting(ctx, first.ID, panel.MeetingUpdate{StartsAt: &newStart}); err != nil {
			t.Fatalf("UpdateMeeting: %v", err)
		}
		res := e.tick(t, s, local(11, 19, 10).Add(time.Minute))
		if res.Notices != 2 || res.Sent != 1 {
			t.Errorf("after the change: got %+v, want 2 notices (members reminded before) and 1 late reminder (member 3)", res)
		}
		if again := e.tick(t, s, local(11, 19, 11)); again.Notices != 0 || again.Sent != 0 {
			t.Errorf("next tick: got %+v, want nothing", again)
		}
		notices := 0
		for _, r := range e.reminders(t, first) {
			if !panel.IsNoticeKind(r.Kind) {
				continue
			}
			notices++
			if r.MemberID == late.ID {
				t.Errorf("member %d was reminded after the change but got a notice", r.MemberID)
			}
			msg, err := e.store.FindOutboundMessage(ctx, r.MessageID)
			if err != nil || msg.Kind != panel.KindNotice || !strings.HasPrefix(msg.Body, "Endring: Samling 1 er nå onsdag 25. november kl. 19:00") {
				t.Errorf("notice: got %+v, %v; want the change text with the new time", msg, err)
			}
		}
		if notices != 2 {
			t.Errorf("got %d notices for the changed meeting, want 2", notices)
		}

		// The first meeting's last reminder, the second's first, then its
		// cancellation in the evening.
		if res := e.tick(t, s, local(11, 24, 12)); res.Sent != 3 {
			t.Errorf("first meeting's second reminder: got %d sent, want 3", res.Sent)
		}
		if res := e.tick(t, s, local(11, 25, 12)); res.Sent != 3 {
			t.Errorf("second meeting's reminder: got %d sent, want 3", res.Sent)
		}
		e.clock.Set(local(11, 26, 21))
		if _, err := e.store.CancelMeeting(ctx, second.ID); err != nil {
			t.Fatalf("CancelMeeting: %v", err)
		}
		if res := e.tick(t, s, local(11, 26, 21).Add(time.Minute)); res.Notices != 0 {
			t.Errorf("in quiet hours: got %d notices, want 0", res.Notices)
		}
		if res := e.tick(t, s, local(11, 27, 8)); res.Notices != 3 {
			t.Errorf("after quiet hours: got %d notices, want 3", res.Notices)
		}
		for _, r := range e.reminders(t, second) {
			if !panel.IsNoticeKind(r.Kind) {
				continue
			}
			msg, err := e.store.FindOutboundMessage(ctx, r.MessageID)
			if err != nil || !strings.HasPrefix(msg.Body, "Avlyst: Samling 2 onsdag 2. desember kl. 18:00") {
				t.Errorf("cancel notice: got %+v, %v; want the cancellation text", msg, err)
			}
		}
		if res := e.tick(t, s, local(12, 1, 12)); res.Sent != 0 || res.Notices != 0 {
			t.Errorf("cancelled meeting's second reminder time: got %+v, want nothing", res)
		}
	})
}

// KAN IKKE records an absence from the member's next meeting, with an
// audit event, and the member gets no more reminders for it.
func TestCantAttend(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db storetest.Database) {
		t.Parallel()
		ctx := context.Background()
		loc := oslo(t)
		e := newEnv(t, db, time.Date(2026, 11, 10, 10, 0, 0, 0, loc), 2)
		first := e.meeting(t, "Samling 1", time.Date(2026, 11, 25, 18, 0, 0, 0, loc))
		e.meeting(t, "Samling 2", time.Date(2026, 12, 2, 18, 0, 0, 0, loc))
		s := e.scheduler(t, e.store)
		e.clock.Set(time.Date(2026, 11, 20, 9, 0, 0, 0, loc))

		res, err := s.CantAttend(ctx, e.members[0].RecipientID, "Kan ikke komme")
		if err != nil {
			t.Fatalf("CantAttend: %v", err)
		}
		if !res.Created || res.Meeting.ID != first.ID || res.Absence.MemberID != e.members[0].ID {
			t.Errorf("got %+v, want a new absence of member 1 from Samling 1", res)
		}
		if want := "Kan ikke komme: Samling 1, onsdag 25. november kl. 18:00"; res.Note != want {
			t.Errorf("got note %q, want %q", res.Note, want)
		}
		again, err := s.CantAttend(ctx, e.members[0].RecipientID, "kan ikke")
		if err != nil || again.Created || again.Absence.ID != res.Absence.ID {
			t.Errorf("repeat: got %+v, %v; want the same absence, not created", again, err)
		}
		events, err := e.store.ListAuditEvents(ctx, panel.AuditFilter{Subject: fmt.Sprintf("meeting/%d", first.ID)})
		// The meeting's subject also has its meeting.created event.
		absences := 0
		for _, ev := range events {
			if ev.Action == "meeting.absence_recorded" {
				absences++
			}
		}
		if err != nil || absences != 1 {
			t.Errorf("audit: got %d absence events, %v; want one meeting.absence_recorded", absences, err)
		}
		if tick := e.tick(t, s, time.Date(2026, 11, 24, 12, 0, 0, 0, loc)); tick.Sent != 1 {
			t.Errorf("reminder after the absence: got %d sent, want 1 (only the member who can come)", tick.Sent)
		}
		if _, err := s.CantAttend(ctx, 99999, "kan ikke"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("unknown recipient: got %v, want ENOTFOUND", err)
		}
	})
}

func TestNew(t *testing.T) {
	t.Parallel()
	loc := oslo(t)
	st := storetest.Open(t, storetest.SQLite(t))
	tests := []struct {
		name    string
		store   panel.ReminderStore
		cfg     reminder.Config
		wantErr string // part of the error; "" for none
	}{
		{"defaults", st, reminder.Config{Location: loc}, ""},
		{"every five minutes", st, reminder.Config{Location: loc, Spec: "*/5 * * * *"}, ""},
		{"no store", nil, reminder.Config{Location: loc}, "missing store"},
		{"no time zone", st, reminder.Config{}, "PANEL_TIMEZONE"},
		{"bad spec", st, reminder.Config{Location: loc, Spec: "every minute"}, "cron spec"},
		{"negative lead", st, reminder.Config{Location: loc, MinLead: -time.Hour}, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := reminder.New(tt.store, tt.cfg)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("got %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}

// hangingStore is the real store whose UpcomingMeetings hangs, as a
// database that stops answering does, until its context ends.
type hangingStore struct {
	panel.ReminderStore
	entered chan struct{}
}

func (h *hangingStore) UpcomingMeetings(ctx context.Context, now time.Time) ([]*panel.Meeting, error) {
	h.entered <- struct{}{}
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestRunStops: Run ticks on its cron schedule and returns promptly once
// its context ends, also while a tick waits on the database.
func TestRunStops(t *testing.T) {
	t.Parallel()
	hs := &hangingStore{ReminderStore: storetest.Open(t, storetest.SQLite(t)), entered: make(chan struct{}, 1)}
	s, err := reminder.New(hs, reminder.Config{Location: oslo(t), Spec: "@every 1s", TickTimeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	select {
	case <-hs.entered:
	case <-time.After(30 * time.Second):
		t.Fatal("no tick within 30 s on a schedule of every second")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: got %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return within 5 s of its context ending")
	}
}

// BenchmarkTick measures ticks on SQLite with a 50-member panel and the
// four reference meetings: "idle" when nothing is due (the usual minute),
// "send" when one reminder goes to all 50 members.
func BenchmarkTick(b *testing.B) {
	loc := oslo(b)
	setup := func(b *testing.B) (*env, *reminder.Scheduler) {
		e := newEnv(b, storetest.SQLite(b), time.Date(2026, 11, 10, 10, 0, 0, 0, loc), 50)
		for i, d := range []int{25, 32, 39, 71} {
			e.meeting(b, fmt.Sprintf("Samling %d", i+1), time.Date(2026, 11, d, 18, 0, 0, 0, loc))
		}
		return e, e.scheduler(b, e.store)
	}
	b.Run("idle", func(b *testing.B) {
		e, s := setup(b)
		e.clock.Set(time.Date(2026, 11, 20, 9, 0, 0, 0, loc))
		for b.Loop() {
			if _, err := s.Tick(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("send", func(b *testing.B) {
		e, s := setup(b)
		due := time.Date(2026, 11, 18, 12, 0, 0, 0, loc)
		for b.Loop() {
			b.StopTimer()
			e.exec(b, `DELETE FROM reminders`)
			e.exec(b, `DELETE FROM outbound_messages`)
			e.clock.Set(due)
			b.StartTimer()
			if res, err := s.Tick(context.Background()); err != nil || res.Sent != 50 {
				b.Fatalf("got %+v, %v; want 50 sent", res, err)
			}
		}
	})
}
