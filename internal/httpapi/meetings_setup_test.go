package httpapi

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// testClock is the fake clock shared by the store and the scheduler.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// storeEnv is the real server on a real database: the store (on a fake
// clock) behind every dependency, real tokens, a campaign with a seated
// panel, and a reminder scheduler on the same clock.
type storeEnv struct {
	*testEnv
	db       storetest.Database
	st       *store.Store
	clock    *testClock
	loc      *time.Location
	org, aud string
	campaign *panel.Campaign
	members  []panel.PanelMember
	sched    *reminder.Scheduler
	raw      *sql.DB // see sqlDB
}

// forEachStore runs fn on a fresh SQLite and a fresh PostgreSQL database.
func forEachStore(t *testing.T, fn func(t *testing.T, db storetest.Database)) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			db.SkipIfUnavailable(t)
			fn(t, db)
		})
	}
}

// newStoreEnv serves the API on db with the clock at start, a campaign and
// n confirmed panel members (seated through SQL, as the draw service
// would).
func newStoreEnv(t *testing.T, db storetest.Database, start time.Time, n int) *storeEnv {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatalf("load Europe/Oslo: %v", err)
	}
	e := &storeEnv{db: db, clock: &testClock{t: start}, loc: loc}
	e.st = storetest.Open(t, db).WithClock(e.clock.Now)
	ctx := context.Background()
	for _, tok := range []struct {
		role, name string
		secret     *string
	}{{panel.RoleOrganiser, "alice", &e.org}, {panel.RoleAuditor, "bob", &e.aud}} {
		_, secret, err := e.st.CreateToken(ctx, tok.role, tok.name)
		if err != nil {
			t.Fatalf("CreateToken: %v", err)
		}
		*tok.secret = secret.Reveal()
	}
	c := panel.NewCampaign()
	c.Name, c.InvitationText = "Trondheim", "Hei! Svar JA."
	if err := e.st.CreateCampaign(ctx, c); err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	e.campaign = c
	e.exec(t, fmt.Sprintf(`INSERT INTO draws (campaign_id, seats, algorithm, state) VALUES (%d, %d, 'leximin', 'seeded')`, c.ID, n))
	for i := 1; i <= n; i++ {
		e.exec(t, fmt.Sprintf(`INSERT INTO recipients (campaign_id, phone, pseudonym, state, attributes) VALUES (%d, '+4791%06d', 'r%d', 'volunteered', '{"gender":"kvinne"}')`, c.ID, i, i))
	}
	e.exec(t, fmt.Sprintf(`INSERT INTO volunteers (campaign_id, recipient_id, external_id, source, complete, household_key) SELECT %d, id, 'v' || id, 'sms', true, 'Gate ' || id FROM recipients WHERE campaign_id = %d`, c.ID, c.ID))
	e.exec(t, fmt.Sprintf(`INSERT INTO panel_members (draw_id, volunteer_id, pseudonym, role, rank, state) SELECT d.id, v.id, 'p' || v.id, 'selected', v.id, 'confirmed' FROM volunteers v JOIN draws d ON d.campaign_id = v.campaign_id WHERE v.campaign_id = %d`, c.ID))
	for _, r := range e.ints(t, `SELECT pm.id, v.recipient_id FROM panel_members pm JOIN volunteers v ON v.id = pm.volunteer_id ORDER BY pm.id`) {
		e.members = append(e.members, panel.PanelMember{ID: r[0], RecipientID: r[1]})
	}
	if e.sched, err = reminder.New(e.st, reminder.Config{Location: loc, Now: e.clock.Now}); err != nil {
		t.Fatalf("reminder.New: %v", err)
	}
	reg := prometheus.NewRegistry()
	s, err := NewServer(complete(t, Deps{
		Campaigns: e.st, Tokens: e.st, Audit: e.st, DB: e.st,
		Logger:     slog.New(slog.DiscardHandler),
		Registerer: reg, Gatherer: reg,
		Meetings: &MeetingDeps{Store: e.st, Location: loc, Scheduler: e.sched},
		Members:  testMembers(t, e.st, nil, e.clock.Now),
		Purge:    e.st,
	}))
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	e.testEnv = &testEnv{s: s, url: srv.URL}
	return e
}

// sqlDB returns a plain connection to the test database, for fixtures
// and checks the store has no call for; it is opened once per test.
func (e *storeEnv) sqlDB(t testing.TB) *sql.DB {
	t.Helper()
	if e.raw != nil {
		return e.raw
	}
	driver, dsn := "pgx", e.db.URL
	if e.db.Name == store.DialectSQLite {
		driver, dsn = "sqlite", strings.TrimPrefix(e.db.URL, "sqlite:")+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", e.db.Name, err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	e.raw = db
	return db
}

// rebind writes q's ? placeholders as PostgreSQL's $1, $2, ...
func (e *storeEnv) rebind(q string) string {
	if e.db.Name != store.DialectPostgres {
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

func (e *storeEnv) exec(t testing.TB, q string, args ...any) {
	t.Helper()
	if _, err := e.sqlDB(t).Exec(e.rebind(q), args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// ints runs a query whose columns are all integers.
func (e *storeEnv) ints(t testing.TB, q string, args ...any) [][]int64 {
	t.Helper()
	rows, err := e.sqlDB(t).Query(e.rebind(q), args...)
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
func (e *storeEnv) count(t testing.TB, q string, args ...any) int64 {
	t.Helper()
	return e.ints(t, q, args...)[0][0]
}

// text runs a query answering one text value (NULL as "<null>").
func (e *storeEnv) text(t testing.TB, q string, args ...any) string {
	t.Helper()
	var s sql.NullString
	if err := e.sqlDB(t).QueryRow(e.rebind(q), args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if !s.Valid {
		return "<null>"
	}
	return s.String
}

// call sends a request with a JSON body ("" for none) and checks the
// status; it returns the response.
func (e *storeEnv) call(t *testing.T, method, path, token, body string, wantStatus int) response {
	t.Helper()
	var r response
	if body == "" {
		r = e.do(t, method, path, token, nil)
	} else {
		r = e.do(t, method, path, token, strings.NewReader(body), "Content-Type", "application/json")
	}
	if r.status != wantStatus {
		t.Fatalf("%s %s: got status %d, want %d (body %s)", method, path, r.status, wantStatus, r.body)
	}
	return r
}

// decode decodes a JSON answer into v.
func decodeAnswer(t *testing.T, r response, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("answer %s: %v", r.body, err)
	}
}

// tick sets the clock to at and runs one scheduler tick.
func (e *storeEnv) tick(t *testing.T, at time.Time) reminder.TickResult {
	t.Helper()
	e.clock.Set(at)
	res, err := e.sched.Tick(context.Background())
	if err != nil {
		t.Fatalf("Tick: %v", err)
	}
	return res
}

// auditActions returns the actions of the audit events about subject.
func (e *storeEnv) auditActions(t *testing.T, subject string) []string {
	t.Helper()
	events, err := e.st.ListAuditEvents(context.Background(), panel.AuditFilter{Subject: subject})
	if err != nil {
		t.Fatalf("ListAuditEvents: %v", err)
	}
	var out []string
	for _, ev := range events {
		out = append(out, ev.Action+" by "+ev.Actor)
	}
	return out
}
