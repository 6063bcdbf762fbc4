package reminder_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// fakeClock is the injected clock shared by the store and the scheduler.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// env is one test's database, clock, campaign and seated panel.
type env struct {
	db       storetest.Database
	store    *store.Store
	clock    *fakeClock
	loc      *time.Location
	campaign *panel.Campaign
	members  []panel.PanelMember
}

// forEachDB runs fn on a fresh SQLite and a fresh PostgreSQL database.
func forEachDB(t *testing.T, fn func(t *testing.T, db storetest.Database)) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			db.SkipIfUnavailable(t)
			fn(t, db)
		})
	}
}

// newEnv migrates db, creates a campaign at start and seats n confirmed
// members, as the draw service would.
func newEnv(t testing.TB, db storetest.Database, start time.Time, n int) *env {
	t.Helper()
	e := &env{db: db, clock: &fakeClock{t: start}, loc: oslo(t)}
	e.store = storetest.Open(t, db).WithClock(e.clock.Now)
	c := panel.NewCampaign()
	c.Name, c.InvitationText = "Trondheim", "Hei! Svar JA."
	if err := e.store.CreateCampaign(context.Background(), c); err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	e.campaign = c
	e.exec(t, fmt.Sprintf(`INSERT INTO draws (campaign_id, seats, algorithm, state) VALUES (%d, %d, 'leximin', 'seeded')`, c.ID, n))
	for i := 1; i <= n; i++ {
		e.exec(t, fmt.Sprintf(`INSERT INTO recipients (campaign_id, phone, pseudonym, state) VALUES (%d, '+4791%06d', 'r%d', 'volunteered')`, c.ID, i, i))
	}
	e.exec(t, fmt.Sprintf(`INSERT INTO volunteers (campaign_id, recipient_id, external_id, source, complete) SELECT %d, id, 'v' || id, 'sms', true FROM recipients WHERE campaign_id = %d`, c.ID, c.ID))
	e.exec(t, fmt.Sprintf(`INSERT INTO panel_members (draw_id, volunteer_id, pseudonym, role, rank, state) SELECT d.id, v.id, 'p' || v.id, 'selected', v.id, 'confirmed' FROM volunteers v JOIN draws d ON d.campaign_id = v.campaign_id WHERE v.campaign_id = %d`, c.ID))
	rows := e.query(t, `SELECT pm.id, v.recipient_id FROM panel_members pm JOIN volunteers v ON v.id = pm.volunteer_id ORDER BY pm.id`)
	for _, r := range rows {
		e.members = append(e.members, panel.PanelMember{ID: r[0], RecipientID: r[1]})
	}
	if len(e.members) != n {
		t.Fatalf("seated %d members, want %d", len(e.members), n)
	}
	return e
}

// sqlDB opens a plain connection to the test database, for fixtures the
// store has no call for (the draw service seats panel members).
func (e *env) sqlDB(t testing.TB) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", e.db.URL
	if e.db.Name == store.DialectSQLite {
		driver, dsn = "sqlite", strings.TrimPrefix(e.db.URL, "sqlite:")+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", e.db.Name, err)
	}
	return db
}

func (e *env) exec(t testing.TB, q string) {
	t.Helper()
	db := e.sqlDB(t)
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// query runs a query whose columns are all integers.
func (e *env) query(t testing.TB, q string) [][]int64 {
	t.Helper()
	db := e.sqlDB(t)
	defer db.Close()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]int64
	for rows.Next() {
		vals := make([]int64, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("scan %s: %v", q, err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

// count runs a query answering one integer.
func (e *env) count(t testing.TB, q string) int64 {
	t.Helper()
	return e.query(t, q)[0][0]
}

// reopen returns a second, independent store handle on the same database,
// as a restarted process or another replica has.
func (e *env) reopen(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), e.db.URL, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s.WithClock(e.clock.Now)
}

// scheduler returns a scheduler on st with the env's clock.
func (e *env) scheduler(t testing.TB, st *store.Store) *reminder.Scheduler {
	t.Helper()
	s, err := reminder.New(st, reminder.Config{Location: e.loc, Now: e.clock.Now})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// meeting creates a meeting starting at start (local wall clock in Oslo).
func (e *env) meeting(t testing.TB, title string, start time.Time) *panel.Meeting {
	t.Helper()
	m := &panel.Meeting{CampaignID: e.campaign.ID, Title: title, StartsAt: start, Place: "Rådhuset"}
	if err := e.store.CreateMeeting(context.Background(), m); err != nil {
		t.Fatalf("CreateMeeting(%s): %v", title, err)
	}
	return m
}

// tick sets the clock to at and runs one tick of s.
func (e *env) tick(t testing.TB, s *reminder.Scheduler, at time.Time) reminder.TickResult {
	t.Helper()
	e.clock.Set(at)
	res, err := s.Tick(context.Background())
	if err != nil {
		t.Fatalf("Tick at %s: %v", at.In(e.loc).Format(time.RFC3339), err)
	}
	return res
}

// reminders returns the meeting's reminders.
func (e *env) reminders(t testing.TB, m *panel.Meeting) []*panel.Reminder {
	t.Helper()
	list, err := e.store.ListReminders(context.Background(), m.ID)
	if err != nil {
		t.Fatalf("ListReminders: %v", err)
	}
	return list
}

// outboxCount counts outbound messages of a kind.
func (e *env) outboxCount(t testing.TB, kind string) int64 {
	t.Helper()
	return e.count(t, fmt.Sprintf(`SELECT count(*) FROM outbound_messages WHERE kind = '%s'`, kind))
}
