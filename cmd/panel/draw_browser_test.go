package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestDrawCeremonyInBrowser drives the draw ceremony in headless Chromium,
// in bokmål: an infeasible quota table is fixed by the suggested
// relaxation, the pool is frozen and committed (confirming the dialog),
// the seed is entered, and the panel is shown with the link to the public
// page, which verifies the draw.
func TestDrawCeremonyInBrowser(t *testing.T) {
	db := storetest.SQLite(t)
	env := map[string]string{"PANEL_DATABASE_URL": db.URL, "PANEL_ADDR": "127.0.0.1:0", "PANEL_LOG_LEVEL": "warn"}
	out, stderr, err := runCmd(t, env, "user", "create", "--name", "kari", "--role", "organiser")
	if err != nil {
		t.Fatalf("user create: %v\n%s", err, stderr)
	}
	apiToken := createToken(t, env, panel.RoleOrganiser, "script")
	svc := startServe(t, env)

	// A campaign with 20 volunteers; only two are older.
	if r := call(t, "POST", svc.url+"/api/v1/campaigns", apiToken, `{"name":"Trondheim 2027","invitation_text":"Hei! Svar {keyword}."}`); r.status != 201 {
		t.Fatalf("create campaign: %d %s", r.status, r.body)
	}
	var vols strings.Builder
	vols.WriteString("id,gender,age\n")
	for i := range 20 {
		age := "ung"
		if i < 2 {
			age = "eldre"
		}
		fmt.Fprintf(&vols, "v%02d,%s,%s\n", i, []string{"kvinne", "mann"}[i%2], age)
	}
	if r := postCSV(t, svc.url+"/api/v1/campaigns/1/volunteers", apiToken, vols.String()); r.status != 200 {
		t.Fatalf("import volunteers: %d %s", r.status, r.body)
	}

	b := newTab(t, svc.url)
	var dialogs atomic.Int32
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
			go func() {
				_, _ = chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
			}()
		}
	}); err != nil {
		t.Fatal(err)
	}
	b.open("/login")
	b.do("sign in", chromedp.SendKeys(chromedp.CSS("#name"), "kari"), chromedp.SendKeys(chromedp.CSS("#password"), strings.TrimSpace(out)),
		chromedp.Click(chromedp.CSS("main button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("a.button.primary")))

	// An infeasible quota table (three older people wanted, two in the pool).
	quotaPath := filepath.Join(t.TempDir(), "kvoter.csv")
	if err := os.WriteFile(quotaPath, []byte("category;name;min;max\nKjønn;kvinne;3;3\nKjønn;mann;3;3\nage;ung;3;3\nage;eldre;3;3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.open("/campaigns/1")
	b.do("to the quotas", chromedp.Click(chromedp.CSS("#quotas-link")), chromedp.WaitVisible(chromedp.CSS("#quota-file")),
		chromedp.SetUploadFiles(chromedp.CSS("#quota-file"), []string{quotaPath}),
		chromedp.Click(chromedp.CSS("#quota-upload button")), chromedp.WaitVisible(chromedp.CSS(".notice.ok")))
	b.do("check for 6 seats", chromedp.SetValue(chromedp.CSS("#check-seats"), "6"),
		chromedp.Click(chromedp.CSS("#check button")), chromedp.WaitVisible(chromedp.CSS("#infeasible")))
	if got := b.text("#infeasible"); !strings.Contains(got, "age=eldre: min 3 but only 2 in the pool") || !strings.Contains(got, "Bruk denne lempingen") {
		t.Errorf("infeasible quotas: %q, want the diagnosis and the relaxation", got)
	}
	b.shot("1-infeasible")
	b.do("apply the relaxation", chromedp.Click(chromedp.CSS("#apply-relaxation")), chromedp.WaitVisible(chromedp.CSS("#feasible")))
	if got := b.text("#target-table"); !strings.Contains(got, "eldre") {
		t.Errorf("target table: %q", got)
	}
	b.shot("2-feasible")

	// Freeze and commit, confirming the dialog.
	b.do("the draw form", chromedp.Click(chromedp.CSS("#start-draw")), chromedp.WaitVisible(chromedp.CSS("#draw-form")),
		chromedp.SetValue(chromedp.CSS("#draw-reserves"), "2"), chromedp.Click(chromedp.CSS("#draw-confirm")),
		chromedp.Click(chromedp.CSS("#commit-draw")))
	b.waitJS("the commitment", `!!document.getElementById("commitment") && !!document.getElementById("seed-form")`)
	commitment := b.text("#commitment")
	if !strings.HasPrefix(commitment, "sha256:") {
		t.Errorf("commitment shown: %q", commitment)
	}
	b.shot("3-committed")

	// The seed, confirming the dialog: the panel and the public link.
	b.do("enter the seed", chromedp.SendKeys(chromedp.CSS("#seed"), "3-6-1-4-4-2-5-6-1-3"),
		chromedp.Click(chromedp.CSS("#seed-confirm")), chromedp.Click(chromedp.CSS("#enter-seed")))
	b.waitJS("the panel", `!!document.getElementById("panel-table")`)
	if n := dialogs.Load(); n < 2 {
		t.Errorf("%d confirmation dialogs, want one for the commit and one for the seed", n)
	}
	if rows, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#panel-table tbody tr").length`)); err != nil || rows != 6 {
		t.Errorf("panel rows: %d (%v), want 6", rows, err)
	}
	b.shot("4-panel")
	b.do("the public page", chromedp.Click(chromedp.CSS("#public-link")))
	b.waitJS("the public page verifies", `(document.getElementById("verification")||{textContent:""}).textContent.startsWith("verified")`)
	t.Logf("screenshots in %s", b.dir)
}

// TestDrawCeremonyWithoutJavaScript commits and seeds a draw in a browser
// that runs no script: the ticked box is the confirmation, and the page
// reloads itself while the lottery is computed.
func TestDrawCeremonyWithoutJavaScript(t *testing.T) {
	db := storetest.SQLite(t)
	env := map[string]string{"PANEL_DATABASE_URL": db.URL, "PANEL_ADDR": "127.0.0.1:0", "PANEL_LOG_LEVEL": "warn"}
	out, stderr, err := runCmd(t, env, "user", "create", "--name", "kari", "--role", "organiser")
	if err != nil {
		t.Fatalf("user create: %v\n%s", err, stderr)
	}
	apiToken := createToken(t, env, panel.RoleOrganiser, "script")
	svc := startServe(t, env)
	if r := call(t, "POST", svc.url+"/api/v1/campaigns", apiToken, `{"name":"Uten skript","invitation_text":"Hei! Svar {keyword}."}`); r.status != 201 {
		t.Fatalf("create campaign: %d %s", r.status, r.body)
	}
	var vols strings.Builder
	vols.WriteString("id,gender\n")
	for i := range 12 {
		fmt.Fprintf(&vols, "v%02d,%s\n", i, []string{"kvinne", "mann"}[i%2])
	}
	if r := postCSV(t, svc.url+"/api/v1/campaigns/1/volunteers", apiToken, vols.String()); r.status != 200 {
		t.Fatalf("import volunteers: %d %s", r.status, r.body)
	}
	if r := call(t, "PUT", svc.url+"/api/v1/campaigns/1/quotas?seats=4", apiToken,
		`[{"category":"gender","value":"kvinne","min":2,"max":2},{"category":"gender","value":"mann","min":2,"max":2}]`); r.status != 200 {
		t.Fatalf("quotas: %d %s", r.status, r.body)
	}
	b := newTab(t, svc.url)
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable scripts: %v", err)
	}
	b.open("/login")
	b.do("sign in", chromedp.SendKeys(chromedp.CSS("#name"), "kari"), chromedp.SendKeys(chromedp.CSS("#password"), strings.TrimSpace(out)),
		chromedp.Click(chromedp.CSS("main button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("a.button.primary")))
	b.open("/campaigns/1/quotas?seats=4")
	b.do("commit", chromedp.Click(chromedp.CSS("#start-draw")), chromedp.WaitVisible(chromedp.CSS("#draw-form")),
		chromedp.Click(chromedp.CSS("#draw-confirm")), chromedp.Click(chromedp.CSS("#commit-draw")),
		chromedp.WaitVisible(chromedp.CSS("#seed-form")))
	b.do("seed", chromedp.SendKeys(chromedp.CSS("#seed"), "Lotto 2026-12-05: 3 7 12 19 22 28 33"),
		chromedp.Click(chromedp.CSS("#seed-confirm")), chromedp.Click(chromedp.CSS("#enter-seed")),
		chromedp.WaitVisible(chromedp.CSS("#panel-table")))
	if got := b.text("#panel-table caption"); !strings.Contains(got, "(4)") {
		t.Errorf("panel caption %q, want 4 members", got)
	}
	b.shot("no-script-panel")
}
