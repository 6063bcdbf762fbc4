package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// drawByAPI draws a panel of 6 and 3 reserves for campaign 1 from 30
// volunteers through the admin API, as a script would (the draw pages are
// tested on their own), and notifies it. It returns the members in order.
func drawByAPI(t *testing.T, base, token string) (panelIDs, reserveIDs []string) {
	t.Helper()
	if r := call(t, "POST", base+"/api/v1/campaigns", token, `{"name":"Trondheim 2027","invitation_text":"Svar JA"}`); r.status != 201 {
		t.Fatalf("campaign: %d %s", r.status, r.body)
	}
	var b strings.Builder
	b.WriteString("id,phone,gender\n")
	for i := range 30 {
		fmt.Fprintf(&b, "v%02d,+47910000%02d,%s\n", i+1, i+1, []string{"kvinne", "mann"}[i%2])
	}
	if r := postCSV(t, base+"/api/v1/campaigns/1/volunteers", token, b.String()); r.status != 200 {
		t.Fatalf("volunteers: %d %s", r.status, r.body)
	}
	if r := call(t, "PUT", base+"/api/v1/campaigns/1/quotas?seats=6", token,
		`[{"category":"gender","value":"kvinne","min":3,"max":3},{"category":"gender","value":"mann","min":3,"max":3}]`); r.status != 200 {
		t.Fatalf("quotas: %d %s", r.status, r.body)
	}
	r := call(t, "POST", base+"/api/v1/campaigns/1/draws", token, `{"seats":6,"reserves":3,"algorithm":"legacy"}`)
	if r.status != 201 {
		t.Fatalf("draw: %d %s", r.status, r.body)
	}
	var d panel.Draw
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if err := json.Unmarshal(r.body, &d); err != nil {
			t.Fatal(err)
		}
		if d.State == panel.DrawCommitted {
			break
		}
		if d.State == panel.DrawFailed || time.Now().After(deadline) {
			t.Fatalf("draw: %s %s", d.State, d.Error)
		}
		r = call(t, "GET", fmt.Sprintf("%s/api/v1/draws/%d", base, d.ID), token, "")
	}
	if r := call(t, "POST", fmt.Sprintf("%s/api/v1/draws/%d/seed", base, d.ID), token, `{"seed":"6-2-5-3"}`); r.status != 200 {
		t.Fatalf("seed: %d %s", r.status, r.body)
	}
	if r := call(t, "POST", fmt.Sprintf("%s/api/v1/draws/%d/notify", base, d.ID), token, ""); r.status != 202 {
		t.Fatalf("notify: %d %s", r.status, r.body)
	}
	var list struct {
		Panel, Reserves []struct {
			Member string `json:"member"`
		}
	}
	r = call(t, "GET", base+"/api/v1/campaigns/1/members", token, "")
	if err := json.Unmarshal(r.body, &list); err != nil || len(list.Panel) != 6 || len(list.Reserves) != 3 {
		t.Fatalf("members: %d %s", r.status, r.body)
	}
	for _, m := range list.Panel {
		panelIDs = append(panelIDs, m.Member)
	}
	for _, m := range list.Reserves {
		reserveIDs = append(reserveIDs, m.Member)
	}
	return panelIDs, reserveIDs
}

// signInAs signs the tab in as name.
func (b *tab) signInAs(name, password string) {
	b.t.Helper()
	b.open("/login")
	b.do("sign in as "+name, chromedp.SendKeys(chromedp.CSS("#name"), name), chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("main button[type=submit]")))
	b.waitJS("signed in as "+name, `document.readyState === "complete" && !!document.querySelector("form[action='/logout']")`)
}

// download fetches path with the tab's session, as a click on the link
// does, and returns the status, headers and body.
func (b *tab) download(path string) (int, string, string, []byte) {
	b.t.Helper()
	type answer struct {
		Status      int    `json:"status"`
		Type        string `json:"type"`
		Disposition string `json:"disposition"`
		Body        string `json:"body"`
	}
	js := fmt.Sprintf(`fetch(%q).then(async r => {
		const buf = new Uint8Array(await r.arrayBuffer());
		let s = ""; for (const c of buf) s += String.fromCharCode(c);
		return {status: r.status, type: r.headers.get("Content-Type") || "", disposition: r.headers.get("Content-Disposition") || "", body: btoa(s)};
	})`, path)
	a, err := chromedp.Run(b.ctx, chromedp.Evaluate[answer](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("download %s: %v", path, err)
	}
	body, err := base64.StdEncoding.DecodeString(a.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return a.Status, a.Type, a.Disposition, body
}

// TestMembersMeetingsAndExportsInBrowser: a caller signs in and sees only
// the members page, confirms one member and records a decline for
// another (a reserve takes the seat); an organiser creates a meeting
// after seeing its reminder schedule; every export is downloaded and
// read back.
func TestMembersMeetingsAndExportsInBrowser(t *testing.T) {
	db := storetest.SQLite(t)
	env := map[string]string{"PANEL_DATABASE_URL": db.URL, "PANEL_ADDR": "127.0.0.1:0", "PANEL_LOG_LEVEL": "warn", "PANEL_TIMEZONE": "Europe/Oslo"}
	passwords := map[string]string{}
	for name, role := range map[string]string{"kari": "organiser", "ringer": "caller", "revi": "auditor"} {
		out, stderr, err := runCmd(t, env, "user", "create", "--name", name, "--role", role)
		if err != nil {
			t.Fatalf("user create %s: %v\n%s", name, err, stderr)
		}
		passwords[name] = strings.TrimSpace(out)
	}
	apiToken := createToken(t, env, panel.RoleOrganiser, "script")
	svc := startServe(t, env)
	members, reserves := drawByAPI(t, svc.url, apiToken)
	b := newTab(t, svc.url)

	// The caller lands on the members page, with no menu.
	b.signInAs("ringer", passwords["ringer"])
	b.waitJS("the members page", `location.pathname === "/campaigns/1/members" && !!document.getElementById("panel-table")`)
	if got := b.text("main h1"); got != "Medlemmer – Trondheim 2027" {
		t.Errorf("caller's first page: %q", got)
	}
	b.waitJS("no menu for callers", `document.querySelector("header nav") === null`)
	if got := b.text("#m-" + members[0] + " .phone"); !strings.HasPrefix(got, "+4791") {
		t.Errorf("caller sees phone %q, want a number", got)
	}
	b.shot("1-caller-members")

	// Confirms the first member, with support needs.
	row := "#m-" + members[0]
	b.do("confirm "+members[0],
		chromedp.Click(chromedp.CSS(row+" summary")),
		chromedp.Click(chromedp.CSS(row+` input[value=confirmed]`)),
		chromedp.Click(chromedp.CSS(row+` input[value=diet]`)),
		chromedp.SendKeys(chromedp.CSS(row+" textarea"), "Vegetar"),
		chromedp.Click(chromedp.CSS(row+" button[type=submit]")))
	b.waitJS("the call recorded", `location.search.includes("notice=recorded") && document.readyState === "complete" && !!document.getElementById("call-notice")`)
	if got := b.text(row); !strings.Contains(got, "Bekreftet") || !strings.Contains(got, "Kosthold") || !strings.Contains(got, "Vegetar") {
		t.Errorf("after confirming: %q", got)
	}

	// Records a decline for the second: a reserve takes the seat.
	row = "#m-" + members[1]
	b.do("decline "+members[1],
		chromedp.Click(chromedp.CSS(row+" summary")),
		chromedp.Click(chromedp.CSS(row+` input[value=declined]`)),
		chromedp.Click(chromedp.CSS(row+" button[type=submit]")))
	b.waitJS("the decline recorded", `location.search.includes("notice=replaced") && document.readyState === "complete" && !!document.getElementById("call-notice")`)
	notice := b.text("#call-notice")
	if !strings.Contains(notice, members[1]+" takket nei; reserven ") {
		t.Errorf("after the decline: %q", notice)
	}
	if got := b.text(row); !strings.Contains(got, "Erstattet") || !strings.Contains(got, "Plassen gikk til") {
		t.Errorf("declined member's row: %q", got)
	}
	took := false
	for _, r := range reserves {
		if strings.Contains(notice, r) {
			took = true
			if got := b.text("#m-" + r); !strings.Contains(got, "Tok plassen til "+members[1]) {
				t.Errorf("the reserve's row: %q", got)
			}
		}
	}
	if !took {
		t.Errorf("no reserve named in %q", notice)
	}
	b.shot("2-caller-decline")

	// Every other page is closed to the caller; the panel and reserves
	// downloads are open, the others not.
	b.open("/campaigns/1")
	if got := b.text("main"); !strings.Contains(got, "Rollen din gir ikke tilgang") {
		t.Errorf("caller on the overview: %q", got)
	}
	if status, _, _, _ := b.download("/campaigns/1/export/pool.csv"); status != 403 {
		t.Errorf("caller's pool export: %d, want 403", status)
	}
	if status, _, _, body := b.download("/campaigns/1/export/panel.csv"); status != 200 || !bytes.Contains(body, []byte("4791")) {
		t.Errorf("caller's panel export: %d, want phone numbers", status)
	}

	// The organiser creates a meeting, seeing its reminders first.
	b.do("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	b.waitJS("signed out", `location.pathname === "/login" && document.readyState === "complete"`)
	b.signInAs("kari", passwords["kari"])
	b.open("/campaigns/1")
	b.do("to the meetings", chromedp.Click(chromedp.CSS(`a[href="/campaigns/1/meetings"]`)), chromedp.WaitVisible(chromedp.CSS("#meeting-form")))
	day := time.Now().AddDate(0, 0, 20)
	b.do("fill the meeting",
		chromedp.SendKeys(chromedp.CSS("#title-new"), "Første samling"),
		chromedp.SetValue(chromedp.CSS("#date-new"), day.Format(time.DateOnly)),
		chromedp.SetValue(chromedp.CSS("#time-new"), "18:00"),
		chromedp.SendKeys(chromedp.CSS("#place-new"), "Rådhuset"),
		chromedp.Click(chromedp.CSS(`button[value=preview]`)))
	b.waitJS("the schedule", `document.readyState === "complete" && !!document.getElementById("schedule")`)
	schedule := b.text("#schedule")
	if !strings.Contains(schedule, "kl. 12:00") || !strings.Contains(schedule, "Sendes til tiden") || !strings.Contains(schedule, "til 1 bekreftede") {
		t.Errorf("the schedule before saving: %q", schedule)
	}
	b.shot("3-meeting-preview")
	b.do("save the meeting", chromedp.Click(chromedp.CSS("#meeting-save")))
	b.waitJS("the meeting saved", `location.search.includes("notice=created") && document.readyState === "complete" && !!document.getElementById("meeting-notice")`)
	if got := b.text(".meeting h3"); got != "Første samling" {
		t.Errorf("the new meeting: %q", got)
	}
	b.shot("4-meetings")

	// Every export, as the organiser: CSV with a byte order mark, XLSX
	// read back.
	for _, what := range []string{"panel", "reserves", "pool", "failed", "absences"} {
		status, ctype, disp, body := b.download("/campaigns/1/export/" + what + ".csv")
		if status != 200 || !strings.HasPrefix(ctype, "text/csv") || !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) || !strings.Contains(disp, "campaign-1-"+what+".csv") {
			t.Errorf("%s.csv: %d %q %q, BOM %v", what, status, ctype, disp, bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")))
		}
		status, _, _, body = b.download("/campaigns/1/export/" + what + ".xlsx")
		if status != 200 {
			t.Errorf("%s.xlsx: %d", what, status)
			continue
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s.xlsx: %v", what, err)
		}
		rows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil || len(rows) == 0 {
			t.Errorf("%s.xlsx: %d rows, %v", what, len(rows), err)
		}
		switch what {
		case "panel":
			if len(rows) != 7 || !strings.Contains(strings.Join(rows[1], ","), "4791") && !strings.Contains(fmt.Sprint(rows), "4791") {
				t.Errorf("panel.xlsx: %d rows, want 6 members with phones", len(rows))
			}
		case "pool":
			if len(rows) != 31 {
				t.Errorf("pool.xlsx: %d rows, want 30 volunteers", len(rows))
			}
		}
	}

	// The auditor's export has no phone numbers.
	b.do("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	b.waitJS("signed out", `location.pathname === "/login" && document.readyState === "complete"`)
	b.signInAs("revi", passwords["revi"])
	if status, _, _, body := b.download("/campaigns/1/export/panel.csv"); status != 200 || bytes.Contains(body, []byte("4791")) {
		t.Errorf("auditor's panel export: %d, phones %v", status, bytes.Contains(body, []byte("4791")))
	}
	t.Logf("screenshots in %s", b.dir)
}
