package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
)

func TestSignInAndOut(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, true)
		b := e.browser("")

		if p := b.get("/"); p.status != http.StatusSeeOther || p.location != "/login?next=%2F" {
			t.Fatalf("GET / signed out: got %d to %q, want 303 to /login?next=%%2F", p.status, p.location)
		}
		p := b.get("/login")
		if !strings.Contains(p.body, `<html lang="nb">`) || !strings.Contains(p.body, "Logg inn") {
			t.Errorf("login page: want bokmål by default, got\n%s", p.body)
		}

		p = b.post("/login", url.Values{"name": {"kari"}, "password": {"feil passord"}})
		if p.status != http.StatusUnauthorized || !strings.Contains(p.body, "Feil brukernavn eller passord") || !strings.Contains(p.body, `value="kari"`) {
			t.Errorf("wrong password: got %d, want 401 with the error and the name kept\n%s", p.status, p.body)
		}
		p = b.post("/login", url.Values{"name": {"kari"}, "password": {testPassword}, "next": {"/audit"}})
		if p.status != http.StatusSeeOther || p.location != "/audit" {
			t.Fatalf("sign in: got %d to %q, want 303 to /audit", p.status, p.location)
		}
		ck := p.header.Get("Set-Cookie")
		for _, want := range []string{"panel_session=", "HttpOnly", "SameSite=Lax", "Secure", "Path=/"} {
			if !strings.Contains(ck, want) {
				t.Errorf("session cookie %q lacks %s", ck, want)
			}
		}
		if p := b.get("/campaigns"); p.status != http.StatusOK || !strings.Contains(p.body, "kari") {
			t.Errorf("signed in: GET /campaigns got %d, want 200 naming kari", p.status)
		}
		if p := b.post("/logout", nil); p.status != http.StatusSeeOther || p.location != "/login" {
			t.Errorf("sign out: got %d to %q, want 303 to /login", p.status, p.location)
		}
		if p := b.get("/campaigns"); p.status != http.StatusSeeOther {
			t.Errorf("after sign-out: GET /campaigns got %d, want 303 to /login", p.status)
		}
		events, err := s.ListAuditEvents(e.ctx, panel.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, ev := range events {
			if ev.Actor == "kari" {
				actions = append(actions, ev.Actor+" "+ev.Action)
			}
		}
		if got := strings.Join(actions, ", "); got != "kari user.signed_in, kari user.signed_out" {
			t.Errorf("audit: got %q, want kari's sign-in and sign-out", got)
		}
	})
}

func TestSignInErrorsInTheBrowsersLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	b := e.browser("en-GB,en;q=0.9")
	p := b.post("/login", url.Values{"name": {"kari"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `<html lang="en">`) || !strings.Contains(p.body, "Enter both your user name and your password.") {
		t.Errorf("missing password in English: got %d\n%s", p.status, p.body)
	}
	if strings.Contains(p.header.Get("Set-Cookie"), "Secure") {
		t.Errorf("cookie Secure over http: got %q", p.header.Get("Set-Cookie"))
	}
	// The picker wins over the browser.
	if p := b.post("/lang", url.Values{"lang": {"nb"}, "back": {"/login"}}); p.status != http.StatusSeeOther || p.location != "/login" {
		t.Fatalf("pick bokmål: got %d to %q", p.status, p.location)
	}
	if p := b.get("/login"); !strings.Contains(p.body, `<html lang="nb">`) {
		t.Errorf("after picking bokmål: want lang nb")
	}
}

func TestExpiredSessionComesBackToThePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	b := e.browser("")
	b.signIn("kari")
	e.clock.Advance(13 * time.Hour)
	p := b.get("/audit?subject=campaign%2F1")
	if p.status != http.StatusSeeOther || p.location != "/login?next=%2Faudit%3Fsubject%3Dcampaign%252F1" {
		t.Fatalf("expired session: got %d to %q, want /login with next", p.status, p.location)
	}
	login := b.get(p.location)
	next := formValue(t, login.body, "next")
	if next != "/audit?subject=campaign%2F1" {
		t.Fatalf("login form's next: got %q", next)
	}
	p = b.post("/login", url.Values{"name": {"kari"}, "password": {testPassword}, "next": {next}})
	if p.location != "/audit?subject=campaign%2F1" {
		t.Errorf("after sign-in: got to %q, want back to the audit page asked for", p.location)
	}
	// Another host is never a place to return to.
	p = b.post("/login", url.Values{"name": {"kari"}, "password": {testPassword}, "next": {"//evil.example/"}})
	if p.location != "/" {
		t.Errorf("next=//evil.example/: got to %q, want / (home)", p.location)
	}
}

func TestDisablingEndsSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	b := e.browser("")
	b.signIn("kari")
	if _, err := e.store.DisableUser(e.ctx, "kari"); err != nil {
		t.Fatal(err)
	}
	if p := b.get("/campaigns"); p.status != http.StatusSeeOther {
		t.Errorf("disabled user's session: got %d, want 303 to /login", p.status)
	}
	if p := b.post("/login", url.Values{"name": {"kari"}, "password": {testPassword}}); p.status != http.StatusUnauthorized {
		t.Errorf("disabled user signing in: got %d, want 401", p.status)
	}
}

func TestSignInThrottled(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	b := e.browser("en")
	for i := range 5 {
		if p := b.post("/login", url.Values{"name": {"kari"}, "password": {"guess"}}); p.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d, want 401", i+1, p.status)
		}
	}
	p := b.post("/login", url.Values{"name": {"kari"}, "password": {testPassword}})
	if p.status != http.StatusTooManyRequests || !strings.Contains(p.body, "Too many failed attempts") {
		t.Errorf("6th attempt with the right password: got %d, want 429\n%s", p.status, p.body)
	}
	// Another name from the same address is not yet blocked.
	b.signIn("revi")
	e.clock.Advance(16 * time.Minute)
	b.signIn("kari")
}

func TestCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/login", strings.NewReader("name=kari&password="+url.QueryEscape(testPassword)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin POST /login: got %d, want 403", res.StatusCode)
	}
}
