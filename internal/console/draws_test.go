package console_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
)

// ceremonyCampaign makes a campaign whose pool has 20 volunteers: 10
// women and 10 men, of whom only two are "eldre" (older).
func ceremonyCampaign(t *testing.T, e *env, name string) *panel.Campaign {
	t.Helper()
	c := &panel.Campaign{Name: name, InvitationText: "Svar JA", SendRate: 10, Templates: map[string]string{}}
	if err := e.store.CreateCampaign(e.ctx, c); err != nil {
		t.Fatal(err)
	}
	var rows []panel.VolunteerInput
	for i := range 20 {
		age := "ung"
		if i < 2 {
			age = "eldre"
		}
		rows = append(rows, panel.VolunteerInput{Row: i + 2, ExternalID: fmt.Sprintf("v%02d", i),
			Values: map[string]string{"gender": []string{"kvinne", "mann"}[i%2], "age": age}})
	}
	if _, _, err := e.store.ImportVolunteers(e.ctx, c.ID, rows, false); err != nil {
		t.Fatal(err)
	}
	return c
}

// quotaForm is the edit form with rows of category, value, min, max.
func quotaForm(nonce string, rows ...[4]string) url.Values {
	f := url.Values{"nonce": {nonce}, "seats": {"6"}}
	for _, r := range rows {
		f.Add("category", r[0])
		f.Add("value", r[1])
		f.Add("min", r[2])
		f.Add("max", r[3])
		f.Add("min_flex", "")
		f.Add("max_flex", "")
	}
	return f
}

// infeasibleRows need three older people where the pool has two; nobody
// has gender "annen" yet (a warning).
var infeasibleRows = [][4]string{
	{"gender", "kvinne", "3", "3"}, {"gender", "mann", "3", "3"}, {"gender", "annen", "0", "1"},
	{"age", "ung", "3", "3"}, {"age", "eldre", "3", "3"},
}

func TestDrawCeremony(t *testing.T) {
	forEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s, false)
		c := ceremonyCampaign(t, e, "Trondheim")
		b := e.browser("en")
		b.signIn("kari")
		quotas := fmt.Sprintf("/campaigns/%d/quotas", c.ID)

		p := b.get(quotas)
		if p.status != http.StatusOK || !strings.Contains(p.body, "No quotas yet") {
			t.Fatalf("empty quota page: %d\n%s", p.status, p.body)
		}
		p = b.post(quotas, quotaForm(formValue(t, p.body, "nonce"), infeasibleRows...))
		if p.status != http.StatusSeeOther {
			t.Fatalf("save quotas: got %d, want 303\n%s", p.status, p.body)
		}
		p = b.get(p.location)
		for _, want := range []string{"The quotas are saved.", `id="quotas-empty"`, "<li>gender: annen</li>", `id="infeasible"`,
			"age=eldre: min 3 but only 2 in the pool", `id="apply-relaxation"`, `<svg class="chart"`, `id="target-table"`} {
			if !strings.Contains(p.body, want) {
				t.Errorf("infeasible quota page lacks %q", want)
			}
		}
		if strings.Contains(p.body, `id="start-draw"`) {
			t.Errorf("an infeasible table offers to start the draw")
		}

		// The auditor reads the same page without a form, and may not post.
		a := e.browser("en")
		a.signIn("revi")
		if ap := a.get(quotas + "?seats=6"); ap.status != http.StatusOK || strings.Contains(ap.body, `id="quota-form"`) ||
			strings.Contains(ap.body, `id="apply-relaxation"`) || !strings.Contains(ap.body, `id="quota-readonly"`) {
			t.Errorf("auditor's quota page: %d, forms shown or table missing", ap.status)
		}
		if ap := a.post(quotas+"/relax", url.Values{"seats": {"6"}}); ap.status != http.StatusForbidden {
			t.Errorf("auditor applying a relaxation: got %d, want 403", ap.status)
		}

		// One click applies the smallest relaxation.
		p = b.get(quotas + "?seats=6")
		p = b.post(quotas+"/relax", url.Values{"seats": {"6"}, "nonce": {formValue(t, p.body, "nonce")}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("relax: got %d, want 303\n%s", p.status, p.body)
		}
		p = b.get(p.location)
		if !strings.Contains(p.body, "The suggested relaxation is applied") || !strings.Contains(p.body, `id="feasible"`) {
			t.Fatalf("after the relaxation the quotas are not feasible:\n%s", p.body)
		}
		qs, err := e.store.ListQuotas(e.ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			if q.Value == "eldre" && q.Min > 2 {
				t.Errorf("eldre min still %d after the relaxation", q.Min)
			}
		}

		// Freeze and commit: without the confirmation box nothing happens.
		p = b.get(fmt.Sprintf("/campaigns/%d/draws/new?seats=6", c.ID))
		form := url.Values{"nonce": {formValue(t, p.body, "nonce")}, "seats": {"6"}, "reserves": {"2"}, "algorithm": {"leximin"}}
		if p = b.post(fmt.Sprintf("/campaigns/%d/draws", c.ID), form); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Tick the box to confirm") {
			t.Fatalf("commit without confirmation: got %d\n%s", p.status, p.body)
		}
		form.Set("confirm", "yes")
		form.Set("time_limit", "soon")
		if p = b.post(fmt.Sprintf("/campaigns/%d/draws", c.ID), form); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "whole number of minutes from 0 to 1440") {
			t.Fatalf("commit with a bad time limit: got %d\n%s", p.status, p.body)
		}
		form.Set("time_limit", "30")
		p = b.post(fmt.Sprintf("/campaigns/%d/draws", c.ID), form)
		if p.status != http.StatusSeeOther {
			t.Fatalf("commit: got %d, want 303\n%s", p.status, p.body)
		}
		drawPath := p.location
		var drawID int64
		if _, err := fmt.Sscanf(drawPath, fmt.Sprintf("/campaigns/%d/draws/%%d", c.ID), &drawID); err != nil {
			t.Fatalf("draw path %q: %v", drawPath, err)
		}
		if d, err := e.store.FindDraw(e.ctx, drawID); err != nil || d.Params.TimeLimit != 1800 {
			t.Errorf("stored draw: %+v, %v; want a time limit of 1800 s", d, err)
		}
		// The same form posted again (a double click) leads to the same draw.
		if again := b.post(fmt.Sprintf("/campaigns/%d/draws", c.ID), form); again.status != http.StatusSeeOther || again.location != drawPath {
			t.Errorf("commit posted twice: got %d to %q, want 303 to %q", again.status, again.location, drawPath)
		}
		p = waitForState(t, b, drawPath, "committed")
		commitment := regexp.MustCompile(`<code id="commitment">(sha256:[0-9a-f]+)</code>`).FindStringSubmatch(p.body)
		if commitment == nil || !strings.Contains(p.body, "Committed ") || !strings.Contains(p.body, `id="seed-help"`) {
			t.Fatalf("committed draw page lacks the commitment, its time or the seed help:\n%s", p.body)
		}
		if n := b.get(drawPath + "/notice"); n.status != http.StatusOK || !strings.Contains(n.body, commitment[1]) || !strings.Contains(n.body, "print-notice") {
			t.Errorf("commitment notice: %d, commitment %v shown %v", n.status, commitment[1], strings.Contains(n.body, commitment[1]))
		}

		// The seed: empty is refused in the person's language, then taken.
		nonce := formValue(t, p.body, "nonce")
		if p = b.post(drawPath+"/seed", url.Values{"nonce": {nonce}, "seed": {" "}, "confirm": {"yes"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Enter the seed: it cannot be empty.") {
			t.Errorf("empty seed: got %d", p.status)
		}
		p = b.post(drawPath+"/seed", url.Values{"nonce": {nonce}, "seed": {"3-6-1-4-4-2"}, "confirm": {"yes"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("seed: got %d, want 303\n%s", p.status, p.body)
		}
		p = b.get(p.location)
		if got := strings.Count(between(p.body, `id="panel-table"`, "</table>"), "<tr><td>"); got != 6 {
			t.Errorf("panel table has %d rows, want 6", got)
		}
		if got := strings.Count(between(p.body, `id="reserves-table"`, "</table>"), "<tr><td>"); got != 2 {
			t.Errorf("reserves table has %d rows, want 2", got)
		}
		for _, want := range []string{`id="public-link" href="/public/draws/`, `id="prob-table"`, `class="panelmark"`, "3-6-1-4-4-2", `id="notify-form"`} {
			if !strings.Contains(p.body, want) {
				t.Errorf("seeded draw page lacks %q", want)
			}
		}
		// A second seed is refused: a draw takes one seed.
		if again := b.post(drawPath+"/seed", url.Values{"nonce": {"other"}, "seed": {"9"}, "confirm": {"yes"}}); again.status != http.StatusConflict {
			t.Errorf("second seed: got %d, want 409", again.status)
		}
		nb := e.browser("nb")
		nb.signIn("kari")
		if q := nb.post(drawPath+"/notify", url.Values{"nonce": {"n1"}}); q.status != http.StatusUnprocessableEntity || !strings.Contains(q.body, "Kryss av for å bekrefte") {
			t.Errorf("notify without confirmation: got %d, want 422 in bokmål", q.status)
		}
		p = b.post(drawPath+"/notify", url.Values{"nonce": {formValue(t, p.body, "nonce")}, "confirm": {"yes"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("notify: got %d, want 303\n%s", p.status, p.body)
		}
		if p = b.get(p.location); !strings.Contains(p.body, `id="notified"`) {
			t.Errorf("after notify the page does not say when")
		}

		// Every page of the ceremony is accessible in both languages.
		for _, lang := range []string{"nb", "en"} {
			lb := e.browser(lang)
			lb.signIn("kari")
			for _, path := range []string{quotas, quotas + "?seats=6", quotas + "?seats=7", fmt.Sprintf("/campaigns/%d/draws/new?seats=6", c.ID), drawPath, drawPath + "/notice"} {
				p := lb.get(path)
				if p.status != http.StatusOK {
					t.Errorf("GET %s in %s: %d", path, lang, p.status)
				}
				checkPage(t, path, lang, p.body)
			}
		}
	})
}

// waitForState reloads the draw page, as its meta refresh does, until the
// draw is in state.
func waitForState(t *testing.T, b *browser, path, state string) page {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		p := b.get(path)
		if p.status != http.StatusOK {
			t.Fatalf("draw page: %d\n%s", p.status, p.body)
		}
		if strings.Contains(p.body, `<meta http-equiv="refresh"`) != strings.Contains(p.body, `id="computing"`) {
			t.Fatalf("the page reloads itself only while computing")
		}
		if !strings.Contains(p.body, `id="computing"`) {
			if state == "committed" && !strings.Contains(p.body, `id="seed-form"`) {
				t.Fatalf("the draw is not committed:\n%s", p.body)
			}
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("the draw is still computing after a minute")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// between returns the part of s from the first from to the next to.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

func TestQuotaFormErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	c := ceremonyCampaign(t, e, "Trondheim")
	quotas := fmt.Sprintf("/campaigns/%d/quotas", c.ID)
	tests := []struct {
		name, lang string
		rows       [][4]string
		want       string
	}{
		{"letters for a number", "en", [][4]string{{"gender", "kvinne", "to", "3"}}, "Row 1: Min must be a whole number of 0 or more, got “to”."},
		{"bokstaver for et tall", "nb", [][4]string{{"gender", "kvinne", "1", "tre"}}, "Rad 1: Maks må være et heltall på 0 eller mer, fikk «tre»."},
		{"max below min", "en", [][4]string{{"gender", "kvinne", "1", "1"}, {"gender", "mann", "3", "2"}}, "Row 2: max 2 is below min 3."},
		{"verdi mangler", "nb", [][4]string{{"gender", "", "1", "2"}}, "Rad 1 (gender): verdien mangler."},
		{"empty table", "en", [][4]string{{"", "", "", ""}}, "The table is empty"},
		{"unknown category", "en", [][4]string{{"colour", "blue", "1", "2"}}, `unknown category \&#34;colour\&#34;`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := e.browser(tc.lang)
			b.signIn("kari")
			p := b.get(quotas)
			p = b.post(quotas, quotaForm(formValue(t, p.body, "nonce"), tc.rows...))
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422", p.status)
			}
			if !regexp.MustCompile(tc.want).MatchString(p.body) && !strings.Contains(p.body, tc.want) {
				t.Errorf("the page does not say %q:\n%s", tc.want, between(p.body, `id="quotas-error"`, "</p>"))
			}
			if qs, _ := e.store.ListQuotas(e.ctx, c.ID); len(qs) != 0 {
				t.Errorf("a refused table stored %d quotas", len(qs))
			}
		})
	}
}

func TestQuotaUpload(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	c := ceremonyCampaign(t, e, "Trondheim")
	quotas := fmt.Sprintf("/campaigns/%d/quotas", c.ID)
	b := e.browser("nb")
	b.signIn("kari")
	upload := func(body string) page {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("nonce", fmt.Sprint(time.Now().UnixNano()))
		fw, _ := mw.CreateFormFile("file", "kvoter.csv")
		_, _ = fw.Write([]byte(body))
		_ = mw.Close()
		return b.do(http.MethodPost, quotas+"/upload", mw.FormDataContentType(), &buf)
	}
	// A Norwegian spreadsheet's export: semicolons, Norwegian headers.
	p := upload("Kjønn;verdi;min;max\nkvinne;2;4\nmann;2;4\n")
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Kvotefilen kan ikke leses") {
		t.Errorf("a file with a missing column: got %d", p.status)
	}
	p = upload("category;name;min;max\nKjønn;kvinne;2;4\nKjønn;mann;2;4\nage;ung;0;6\nage;eldre;0;2\n")
	if p.status != http.StatusSeeOther {
		t.Fatalf("upload: got %d, want 303\n%s", p.status, between(p.body, `id="quotas-error"`, "</p>"))
	}
	qs, err := e.store.ListQuotas(e.ctx, c.ID)
	if err != nil || len(qs) != 4 || qs[0].Category != "gender" {
		t.Errorf("stored quotas %+v, %v; want 4 with Kjønn read as gender", qs, err)
	}
	if p := b.get(quotas + "?seats=abc"); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Antall plasser må være et heltall") {
		t.Errorf("bad seats: got %d", p.status)
	}
}

func TestDrawPageWhileComputing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	c := ceremonyCampaign(t, e, "Trondheim")
	other := ceremonyCampaign(t, e, "Bergen")
	// A draw left committing (as while a worker computes it).
	d := &panel.Draw{CampaignID: c.ID, Params: panel.DrawParams{Seats: 6, Algorithm: "leximin", Panels: 1000, TimeLimit: 90}, Snapshot: []byte("{}")}
	if err := e.store.CreateDraw(e.ctx, d); err != nil {
		t.Fatal(err)
	}
	// A worker holds it and has reported its progress.
	if got, err := e.store.ClaimCommitting(e.ctx, "worker", time.Now(), time.Hour); err != nil || got == nil || got.ID != d.ID {
		t.Fatalf("claim: %v, %v", got, err)
	}
	lp := panel.LotteryProgress{Level: 3, PeopleFixed: 1234, People: 4000, Panels: 57, LowerBound: 0.0612, UpperBound: 0.0671, Elapsed: 42.4}
	if err := e.store.SetLotteryProgress(e.ctx, d.ID, "worker", lp); err != nil {
		t.Fatal(err)
	}
	wantProgress := map[string][]string{
		"nb": {"Nivå 3: 1\u00a0234 av 4\u00a0000 personer", "57 paneler", "mellom 6,1 % og 6,7 %", "Har regnet i 42 s", "Tidsgrense: 90,0 s"},
		"en": {"Level 3: 1,234 of 4,000 people", "57 panels", "between 6.1 % and 6.7 %", "Computing for 42 s", "Time limit: 90.0 s"},
	}
	for _, lang := range []string{"nb", "en"} {
		b := e.browser(lang)
		b.signIn("revi")
		p := b.get(fmt.Sprintf("/campaigns/%d/draws/%d", c.ID, d.ID))
		if p.status != http.StatusOK || !strings.Contains(p.body, `<meta http-equiv="refresh" content="2">`) || !strings.Contains(p.body, "<progress") {
			t.Errorf("%s: computing draw page: %d, want a page that reloads itself with a progress bar", lang, p.status)
		}
		for _, want := range wantProgress[lang] {
			if !strings.Contains(p.body, want) {
				t.Errorf("%s: computing draw page lacks %q", lang, want)
			}
		}
		checkPage(t, "computing draw", lang, p.body)
		if n := b.get(fmt.Sprintf("/campaigns/%d/draws/%d/notice", c.ID, d.ID)); n.status != http.StatusConflict {
			t.Errorf("%s: notice before the commitment: got %d, want 409", lang, n.status)
		}
	}
	b := e.browser("en")
	b.signIn("kari")
	if p := b.get(fmt.Sprintf("/campaigns/%d/draws/%d", other.ID, d.ID)); p.status != http.StatusNotFound {
		t.Errorf("a draw under another campaign's path: got %d, want 404", p.status)
	}
	if p := b.post(fmt.Sprintf("/campaigns/%d/draws/%d/seed", c.ID, d.ID), url.Values{"seed": {"1"}, "confirm": {"yes"}}); p.status != http.StatusConflict {
		t.Errorf("seed while computing: got %d, want 409", p.status)
	}
	a := e.browser("en")
	a.signIn("revi")
	if p := a.post(fmt.Sprintf("/campaigns/%d/draws/%d/seed", c.ID, d.ID), url.Values{"seed": {"1"}, "confirm": {"yes"}}); p.status != http.StatusForbidden {
		t.Errorf("auditor entering a seed: got %d, want 403", p.status)
	}

	// Stopped at its time limit: the page says so with the bounds reached.
	if err := e.store.FailCommit(e.ctx, d.ID, "worker", "the lottery computation stopped at the time limit of 1m30s; no lottery is published"); err != nil {
		t.Fatal(err)
	}
	p := a.get(fmt.Sprintf("/campaigns/%d/draws/%d", c.ID, d.ID))
	for _, want := range []string{"stopped at the time limit of 1m30s", `id="draw-lottery-reached"`, "Reached before it stopped:", "between 6.1 % and 6.7 %"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("stopped draw page lacks %q", want)
		}
	}
	if strings.Contains(p.body, `http-equiv="refresh"`) {
		t.Error("a stopped draw's page still reloads itself")
	}
}
