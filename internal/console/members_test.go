package console_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/roster"
	"github.com/citizenspanel/panel/internal/store"
)

// drawnCampaign makes a campaign whose panel of 6 and 3 reserves was
// drawn from 30 volunteers with phones +4791000001… and notified, through
// the env's draw service as the admin API does.
func drawnCampaign(t *testing.T, e *env) (*panel.Campaign, *roster.List) {
	t.Helper()
	ctx := e.ctx
	n, _, err := e.store.ListCampaigns(ctx, panel.CampaignFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	name := "Trondheim"
	if len(n) > 0 {
		name = fmt.Sprintf("Trondheim %d", len(n)+1)
	}
	c := &panel.Campaign{Name: name, InvitationText: "Svar JA", SendRate: 10, Templates: map[string]string{}}
	if err := e.store.CreateCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("id,phone,kjønn\n")
	for i := range 30 {
		fmt.Fprintf(&b, "v%02d,+47910000%02d,%s\n", i+1, i+1, []string{"kvinne", "mann"}[i%2])
	}
	if _, err := e.draws.ImportVolunteers(ctx, c.ID, strings.NewReader(b.String()), panel.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.draws.SetQuotas(ctx, c.ID, []panel.Quota{{Category: "gender", Value: "kvinne", Min: 3, Max: 3}, {Category: "gender", Value: "mann", Min: 3, Max: 3}}, 6); err != nil {
		t.Fatal(err)
	}
	d, err := e.draws.CreateDraw(ctx, c.ID, draw.Request{Seats: 6, Reserves: 3, Algorithm: "legacy"})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); d.State != panel.DrawCommitted; {
		if d.State == panel.DrawFailed || time.Now().After(deadline) {
			t.Fatalf("draw %d: %s %s", d.ID, d.State, d.Error)
		}
		time.Sleep(20 * time.Millisecond)
		if d, err = e.draws.Find(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.draws.Seed(ctx, d.ID, "3-1-4-1-5"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.draws.Notify(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	r, err := roster.New(e.store, e.draws, roster.Config{})
	if err != nil {
		t.Fatal(err)
	}
	list, err := r.Members(panel.WithActor(ctx, panel.Actor{Name: "test", Role: panel.RoleOrganiser}), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c, list
}

// rowOf returns the members table row of pseudo in body.
func rowOf(t *testing.T, body, pseudo string) string {
	t.Helper()
	i := strings.Index(body, `<tr id="m-`+pseudo+`"`)
	if i < 0 {
		t.Fatalf("no row for %s", pseudo)
	}
	j := strings.Index(body[i:], "</tr>")
	return body[i : i+j]
}

func TestMembersPageByRole(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s, false)
		c, list := drawnCampaign(t, e)
		path := fmt.Sprintf("/campaigns/%d/members", c.ID)
		first := list.Panel[0]
		digits := strings.TrimPrefix(first.Phone, "+") // the page writes + as &#43;

		org := e.browser("nb")
		org.signIn("kari")
		p := org.get(path)
		checkPage(t, path, "nb", p.body)
		if p.status != 200 || !strings.Contains(rowOf(t, p.body, first.PseudoID), digits) || !strings.Contains(p.body, "Varslet") {
			t.Errorf("organiser: %d, want the members with phone numbers and their status", p.status)
		}
		if len(list.Panel) != 6 || len(list.Reserves) != 3 {
			t.Fatalf("drawn %d + %d", len(list.Panel), len(list.Reserves))
		}

		aud := e.browser("en")
		aud.signIn("revi")
		p = aud.get(path)
		checkPage(t, path, "en", p.body)
		if p.status != 200 || strings.Contains(p.body, "4791000") || strings.Contains(p.body, "/call\"") {
			t.Errorf("auditor: %d; must see the members without phone numbers or call forms", p.status)
		}
		if !strings.Contains(p.body, "Notified") {
			t.Errorf("auditor: no statuses in English")
		}

		caller := e.browser("nb")
		caller.signIn("ringer")
		if got := caller.get("/"); got.status != http.StatusSeeOther || got.location != path {
			t.Errorf("caller's home: %d %q, want 303 to %s", got.status, got.location, path)
		}
		p = caller.get(path)
		if p.status != 200 || !strings.Contains(p.body, digits) || strings.Contains(p.body, `href="/inbox"`) || strings.Contains(p.body, `href="/campaigns/`+fmt.Sprint(c.ID)+`"`) {
			t.Errorf("caller: %d; want phones, no menu and no link to other pages", p.status)
		}
		for _, forbidden := range []string{fmt.Sprintf("/campaigns/%d", c.ID), fmt.Sprintf("/campaigns/%d/meetings", c.ID), "/campaigns", "/inbox", "/audit",
			fmt.Sprintf("/campaigns/%d/export/pool.csv", c.ID), fmt.Sprintf("/campaigns/%d/export/absences.xlsx", c.ID)} {
			if got := caller.get(forbidden); got.status != http.StatusForbidden {
				t.Errorf("caller GET %s: %d, want 403", forbidden, got.status)
			}
		}
		if got := caller.post(fmt.Sprintf("/campaigns/%d/meetings", c.ID), url.Values{"title": {"x"}}); got.status != http.StatusForbidden {
			t.Errorf("caller POST meetings: %d, want 403", got.status)
		}
	})
}

func TestRecordCalls(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s, false)
		c, list := drawnCampaign(t, e)
		path := fmt.Sprintf("/campaigns/%d/members", c.ID)
		a, b := list.Panel[0].PseudoID, list.Panel[1].PseudoID
		caller := e.browser("nb")
		caller.signIn("ringer")
		nonce := formValue(t, caller.get(path).body, "nonce")

		confirm := url.Values{"nonce": {nonce}, "outcome": {"confirmed"}, "tag": {"diet", "access"}, "support_needs": {"Glutenfri mat"}}
		p := caller.post(path+"/"+a+"/call", confirm)
		if p.status != http.StatusSeeOther || !strings.Contains(p.location, "notice=recorded") {
			t.Fatalf("confirm: %d %q", p.status, p.location)
		}
		if again := caller.post(path+"/"+a+"/call", confirm); again.status != http.StatusSeeOther {
			t.Errorf("the same form again: %d, want 303", again.status)
		}
		page := caller.get(p.location)
		row := rowOf(t, page.body, a)
		if !strings.Contains(row, `data-status="confirmed"`) || !strings.Contains(row, "Glutenfri mat") || !strings.Contains(row, "Kosthold") ||
			!strings.Contains(row, "ringer") || !strings.Contains(row, "<td>1</td>") {
			t.Errorf("after confirming, row of %s: %s", a, row)
		}
		if !strings.Contains(page.body, "Samtalen med "+a+" er registrert.") {
			t.Errorf("no notice of the recorded call")
		}

		p = caller.post(path+"/"+b+"/call", url.Values{"nonce": {"n2"}, "outcome": {"declined"}})
		if p.status != http.StatusSeeOther || !strings.Contains(p.location, "notice=replaced") {
			t.Fatalf("decline: %d %q", p.status, p.location)
		}
		page = caller.get(p.location)
		row = rowOf(t, page.body, b)
		reserve := list.Reserves[0].PseudoID
		if !strings.Contains(row, `data-status="replaced"`) || !strings.Contains(row, "Plassen gikk til") {
			t.Errorf("after the decline, row of %s: %s", b, row)
		}
		if !strings.Contains(page.body, b+" takket nei; reserven ") {
			t.Errorf("the page does not say which reserve took the seat")
		}
		rrow := rowOf(t, page.body, reserve)
		if !strings.Contains(rrow, "Tok plassen til "+b) && !strings.Contains(page.body, "Tok plassen til "+b) {
			t.Errorf("no reserve shows it took %s's seat", b)
		}
		// A reserve who declines leaves the list; no seat to fill.
		loc, _ := url.Parse(p.location)
		var last string
		for _, r := range list.Reserves {
			if r.PseudoID != loc.Query().Get("by") {
				last = r.PseudoID
			}
		}
		if p := caller.post(path+"/"+last+"/call", url.Values{"nonce": {"n3"}, "outcome": {"declined"}}); p.status != http.StatusSeeOther || !strings.Contains(p.location, "notice=recorded") {
			t.Errorf("a reserve declines: %d %q", p.status, p.location)
		} else if row := rowOf(t, caller.get(p.location).body, last); !strings.Contains(row, `data-status="declined"`) {
			t.Errorf("the reserve who declined: %s", row)
		}
		events, err := s.ListAuditEvents(e.ctx, panel.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var byCaller []string
		for _, ev := range events {
			if ev.Actor == "ringer" {
				byCaller = append(byCaller, ev.Action)
			}
		}
		if !slices.Contains(byCaller, "draw.member_declined") || len(slices.DeleteFunc(slices.Clone(byCaller), func(a string) bool { return a != "member.call_recorded" })) != 3 {
			t.Errorf("audit events under the caller: %v, want three calls and the declines", byCaller)
		}

		// Bad input: named in the person's language, nothing recorded.
		for _, tc := range []struct {
			lang, outcome, tag, want string
		}{
			{"nb", "", "", "Velg et utfall"},
			{"en", "maybe", "", "Choose the call&#39;s outcome"},
			{"en", "reached", "pets", "Unknown support need"},
		} {
			br := e.browser(tc.lang)
			br.signIn("kari")
			p := br.post(path+"/"+a+"/call", url.Values{"nonce": {"bad" + tc.lang + tc.outcome}, "outcome": {tc.outcome}, "tag": {tc.tag}})
			if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, tc.want) {
				t.Errorf("%s %q/%q: %d, want 422 with %q", tc.lang, tc.outcome, tc.tag, p.status, tc.want)
			}
		}
		en := e.browser("en")
		en.signIn("kari")
		if p := en.post(path+"/"+b+"/call", url.Values{"nonce": {"late"}, "outcome": {"confirmed"}}); p.status != http.StatusConflict || !strings.Contains(p.body, "does not fit "+b) {
			t.Errorf("confirming a member who left: %d", p.status)
		}
		aud := e.browser("en")
		aud.signIn("revi")
		if p := aud.post(path+"/"+a+"/call", url.Values{"nonce": {"aud"}, "outcome": {"reached"}}); p.status != http.StatusForbidden {
			t.Errorf("auditor records a call: %d, want 403", p.status)
		}
		calls, err := s.ListCalls(e.ctx, list.DrawID, a)
		if err != nil || len(calls) != 1 {
			t.Errorf("calls of %s: %d (%v), want 1: the repeated and refused forms recorded nothing", a, len(calls), err)
		}
	})
}

func TestExports(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s, false)
		c, list := drawnCampaign(t, e)
		base := fmt.Sprintf("/campaigns/%d/export/", c.ID)
		phone := list.Panel[0].Phone
		for _, tc := range []struct {
			user, file string
			status     int
			phones     bool
		}{
			{"kari", "panel.csv", 200, true},
			{"kari", "pool.xlsx", 200, true},
			{"kari", "failed.csv", 200, false},
			{"kari", "absences.xlsx", 200, false},
			{"revi", "panel.csv", 200, false},
			{"revi", "reserves.xlsx", 200, false},
			{"ringer", "panel.xlsx", 200, true},
			{"ringer", "reserves.csv", 200, false},
			{"ringer", "pool.csv", 403, false},
			{"kari", "secrets.csv", 404, false},
			{"kari", "panel.pdf", 404, false},
		} {
			b := e.browser("en")
			b.signIn(tc.user)
			p := b.get(base + tc.file)
			if p.status != tc.status {
				t.Errorf("%s %s: %d, want %d", tc.user, tc.file, p.status, tc.status)
				continue
			}
			if p.status != 200 {
				continue
			}
			var text string
			if strings.HasSuffix(tc.file, ".csv") {
				if !strings.HasPrefix(p.body, "\uFEFF") || !strings.HasPrefix(p.header.Get("Content-Type"), "text/csv") {
					t.Errorf("%s %s: no BOM or not text/csv", tc.user, tc.file)
				}
				if _, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(p.body, "\uFEFF"))).ReadAll(); err != nil {
					t.Errorf("%s %s: %v", tc.user, tc.file, err)
				}
				text = p.body
			} else {
				f, err := excelize.OpenReader(bytes.NewReader([]byte(p.body)))
				if err != nil {
					t.Fatalf("%s %s: %v", tc.user, tc.file, err)
				}
				rows, err := f.GetRows(f.GetSheetList()[0])
				if err != nil || len(rows) < 1 {
					t.Fatalf("%s %s: %d rows, %v", tc.user, tc.file, len(rows), err)
				}
				for _, r := range rows {
					text += strings.Join(r, ",") + "\n"
				}
			}
			if !strings.Contains(p.header.Get("Content-Disposition"), fmt.Sprintf("campaign-%d-", c.ID)) {
				t.Errorf("%s %s: Content-Disposition %q", tc.user, tc.file, p.header.Get("Content-Disposition"))
			}
			if tc.phones && !strings.Contains(text, phone) && !strings.Contains(text, strings.TrimPrefix(phone, "+")) {
				t.Errorf("%s %s: no phone numbers", tc.user, tc.file)
			}
			if tc.user == "revi" && strings.Contains(text, "+4791") {
				t.Errorf("auditor's %s has phone numbers", tc.file)
			}
		}
		events, err := s.ListAuditEvents(e.ctx, panel.AuditFilter{Limit: 1000})
		exported := slices.DeleteFunc(events, func(ev *panel.AuditEvent) bool { return ev.Action != "export.downloaded" })
		if err != nil || len(exported) != 8 {
			t.Errorf("export audit events: %d (%v), want 8", len(exported), err)
		}
	})
}

func TestCallerHome(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	caller := e.browser("nb")
	caller.signIn("ringer")
	p := caller.get("/")
	checkPage(t, "/", "nb", p.body)
	if p.status != 200 || !strings.Contains(p.body, "Ingen kampanje har trukket et panel ennå.") {
		t.Errorf("no drawn campaign: %d, want a page saying so", p.status)
	}
	first, _ := drawnCampaign(t, e)
	if p := caller.get("/"); p.status != http.StatusSeeOther || p.location != fmt.Sprintf("/campaigns/%d/members", first.ID) {
		t.Errorf("one drawn campaign: %d %q, want its members page", p.status, p.location)
	}
	second, _ := drawnCampaign(t, e)
	p = caller.get("/")
	a, b := strings.Index(p.body, fmt.Sprintf(`href="/campaigns/%d/members"`, second.ID)), strings.Index(p.body, fmt.Sprintf(`href="/campaigns/%d/members"`, first.ID))
	if p.status != 200 || a < 0 || b < a {
		t.Errorf("two drawn campaigns: %d, want both listed, newest first", p.status)
	}
	org := e.browser("nb")
	org.signIn("kari")
	if p := org.get("/"); p.status != http.StatusSeeOther || p.location != "/campaigns" {
		t.Errorf("organiser's home: %d %q", p.status, p.location)
	}
}
