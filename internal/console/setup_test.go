package console_test

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/console"
	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/export"
	"github.com/citizenspanel/panel/internal/inbox"
	"github.com/citizenspanel/panel/internal/invite"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/password"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/roster"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// testPassword is every test user's password.
const testPassword = "ein god kode 42"

// clock is a clock tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is a console served over real HTTP on a real store.
type env struct {
	t     testing.TB
	ctx   context.Context
	store *store.Store
	clock *clock
	srv   *httptest.Server
	draws *draw.Service // the draw service behind the console's members page
}

// hash is testPassword's hash, made once (argon2id is slow on purpose).
var hash = sync.OnceValue(func() string {
	h, err := password.Hash(testPassword, rand.Reader)
	if err != nil {
		panic(err)
	}
	return h
})

// newEnv serves a console on s with users kari (organiser), revi
// (auditor) and ringer (caller).
func newEnv(t testing.TB, s *store.Store, secure bool) *env {
	t.Helper()
	ctx := context.Background()
	clk := &clock{now: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)}
	s = s.WithClock(clk.Now)
	in, sched, draws := newServices(t, s, clk.Now)
	inv, err := invite.New(s, in, invite.Config{})
	if err != nil {
		t.Fatal(err)
	}
	oslo, _ := time.LoadLocation("Europe/Oslo")
	members, err := roster.New(s, draws, roster.Config{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	exports, err := export.New(s, s, oslo)
	if err != nil {
		t.Fatal(err)
	}
	c, err := console.New(s, inv, in, draws, members, exports, s, sched, console.Config{Location: oslo, SecureCookies: secure, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]string{"kari": panel.RoleOrganiser, "revi": panel.RoleAuditor, "ringer": panel.RoleCaller} {
		if _, err := s.CreateUser(ctx, name, role, hash()); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(srv.Close)
	return &env{t: t, ctx: ctx, store: s, clock: clk, srv: srv, draws: draws}
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects, speaking lang.
type browser struct {
	e    *env
	c    *http.Client
	lang string
}

func (e *env) browser(lang string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, lang: lang, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// page is one answer.
type page struct {
	status   int
	location string
	body     string
	header   http.Header
}

func (b *browser) do(method, path, contentType string, body io.Reader) page {
	b.e.t.Helper()
	req, err := http.NewRequest(method, b.e.srv.URL+path, body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, location: res.Header.Get("Location"), body: string(raw), header: res.Header}
}

func (b *browser) get(path string) page { return b.do(http.MethodGet, path, "", nil) }

func (b *browser) post(path string, form url.Values) page {
	return b.do(http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// signIn signs in as name and fails the test if that does not work.
func (b *browser) signIn(name string) {
	b.e.t.Helper()
	p := b.post("/login", url.Values{"name": {name}, "password": {testPassword}})
	if p.status != http.StatusSeeOther {
		b.e.t.Fatalf("sign in as %s: got %d, want 303\n%s", name, p.status, p.body)
	}
}

// formValue finds the value of the first input called name in body.
func formValue(t testing.TB, body, name string) string {
	t.Helper()
	i := strings.Index(body, `name="`+name+`" value="`)
	if i < 0 {
		t.Fatalf("no input %q in the page", name)
	}
	rest := body[i+len(`name="`+name+`" value="`):]
	return rest[:strings.IndexByte(rest, '"')]
}

// forEach runs fn on SQLite and PostgreSQL.
func forEach(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	storetest.ForEach(t, fn)
}

// sqliteStore is a fresh migrated SQLite store, for tests that check the
// console's own logic rather than the database.
func sqliteStore(t testing.TB) *store.Store {
	t.Helper()
	return storetest.Open(t, storetest.SQLite(t))
}

// newInbox builds the inbox service on s with the real reminder scheduler
// and draw service behind it, as serve does.
func newInbox(t testing.TB, s *store.Store, now func() time.Time) *inbox.Service {
	t.Helper()
	in, _, _ := newServices(t, s, now)
	return in
}

// newServices builds the inbox service, the reminder scheduler and the
// draw service on s, wired as serve wires them.
func newServices(t testing.TB, s *store.Store, now func() time.Time) (*inbox.Service, *reminder.Scheduler, *draw.Service) {
	t.Helper()
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	sched, err := reminder.New(s, reminder.Config{Location: oslo, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	draws, err := draw.New(s, draw.Config{Location: oslo, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	in, err := inbox.New(s, sched, draws, inbox.Config{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return in, sched, draws
}
