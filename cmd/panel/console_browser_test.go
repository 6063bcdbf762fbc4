package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// chromium returns the path of a Chromium to drive, or skips the test
// (fails it under CI=true, where .ci/run installs one).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH; CI must install it (apt-get install -y chromium)")
	}
	t.Skip("no chromium on PATH (apt-get install -y chromium)")
	return ""
}

// tab is a headless Chromium tab, with helpers that fail the test.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string // screenshots go here
}

func newTab(t *testing.T, base string) *tab {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.WindowSize(1280, 1800),
		chromedp.Flag("lang", "nb-NO"), chromedp.Flag("accept-lang", "nb-NO,nb"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return &tab{t: t, ctx: ctx, base: base, dir: t.TempDir()}
}

// do runs steps with a time limit.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot("failed")
		b.t.Fatalf("%s: %v", what, err)
	}
}

// text returns the visible text of the first element matching css.
func (b *tab) text(css string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// waitJS waits until the JavaScript expression is true. It asks again
// and again, so a page that is being replaced (after a click) is no error.
func (b *tab) waitJS(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	b.shot("failed")
	b.t.Fatalf("waiting for %s: %v\npage: %s", what, last, b.text("main"))
}

// shot writes a screenshot of the whole page.
func (b *tab) shot(name string) {
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.dir, name+".png")
	if err := os.WriteFile(path, png, 0o600); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

// open loads path and waits for its main heading.
func (b *tab) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
}

// TestConsoleInBrowser drives the console in headless Chromium through a
// round: sign in, create a campaign (watching the live preview), import
// recipients with one bad row, set quotas, send with simulated SMS, watch
// the progress, let a volunteer answer, and see the pool chart change.
func TestConsoleInBrowser(t *testing.T) {
	db := storetest.SQLite(t)
	const token = "0123456789abcdef0123456789abcdef"
	env := map[string]string{
		"PANEL_DATABASE_URL": db.URL, "PANEL_ADDR": "127.0.0.1:0", "PANEL_PUBLIC_URL": publicURL,
		"TWILIO_AUTH_TOKEN": token, "PANEL_LOG_LEVEL": "warn",
	}
	out, stderr, err := runCmd(t, env, "user", "create", "--name", "kari", "--role", "organiser")
	if err != nil {
		t.Fatalf("user create: %v\n%s", err, stderr)
	}
	pw := strings.TrimSpace(out)
	apiToken := createToken(t, env, panel.RoleOrganiser, "script")
	svc := startServe(t, env)
	b := newTab(t, svc.url)

	// Signed out, / leads to the sign-in page, in bokmål.
	b.open("/")
	if h := b.text("main h1"); h != "Logg inn" {
		t.Fatalf("GET / signed out: heading %q, want Logg inn", h)
	}
	b.do("wrong password", chromedp.SendKeys(chromedp.CSS("#name"), "kari"), chromedp.SendKeys(chromedp.CSS("#password"), "feil"),
		chromedp.Click(chromedp.CSS("main button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#login-error")))
	if msg := b.text("#login-error"); msg != "Feil brukernavn eller passord." {
		t.Errorf("wrong password: got %q", msg)
	}
	b.do("sign in", chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.Click(chromedp.CSS("main button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("a.button.primary")))
	if h := b.text("main h1"); h != "Kampanjer" {
		t.Fatalf("after sign-in: heading %q, want Kampanjer", h)
	}

	// A new campaign; the preview follows the typing.
	b.open("/campaigns/new")
	b.do("fill the campaign form",
		chromedp.SendKeys(chromedp.CSS("#name"), "Trondheim 2027"),
		chromedp.SendKeys(chromedp.CSS("#invitation_text"), "Hei! Vil du være med i innbyggerpanelet? Svar {keyword} innen {deadline}."),
		chromedp.SetValue(chromedp.CSS("#reply_by"), time.Now().AddDate(0, 0, 14).Format(time.DateOnly)),
	)
	// No quiet hours: the default 20:00-08:00 would hold the invitations
	// when the test runs in the evening (the field is in a folded section).
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("quiet_hours").value = ""`)); err != nil {
		t.Fatalf("clear the quiet hours: %v", err)
	}
	b.waitJS("the live preview", `document.getElementById("preview-text").textContent.includes("Svar JA innen")`)
	if enc, seg := b.text("#preview-encoding"), b.text("#preview-segments"); enc != "GSM-7" || seg != "1" {
		t.Errorf("live preview: %s, %s segments; want GSM-7, 1", enc, seg)
	}
	b.shot("1-new-campaign")
	b.do("save", chromedp.Click(chromedp.CSS(`button[value=save]`)), chromedp.WaitVisible(chromedp.CSS("#progress")))
	if st := b.text("#campaign-state"); st != "Utkast" {
		t.Errorf("new campaign's state: %q, want Utkast", st)
	}

	// Recipients with one bad row: the preview, then the confirmation.
	csvPath := filepath.Join(t.TempDir(), "utvalg.csv")
	var csv strings.Builder
	csv.WriteString("phone,gender,district\n")
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&csv, "+47910000%02d,%s,%s\n", i, []string{"kvinne", "mann"}[i%2], "Østbyen")
		if i == 3 {
			csv.WriteString("12AB,kvinne,Midtbyen\n")
		}
	}
	if err := os.WriteFile(csvPath, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	b.do("upload", chromedp.Click(chromedp.CSS(`a[href$="/recipients"]`)), chromedp.WaitVisible(chromedp.CSS("#file")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{csvPath}),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#import-count")))
	if got := b.text("#import-count"); !strings.Contains(got, "6 mottakere kan importeres") || !strings.Contains(got, "1 linje avvist") {
		t.Errorf("import preview: %q, want 6 importable and 1 rejected", got)
	}
	if got := b.text("#rejected"); !strings.Contains(got, "5") {
		t.Errorf("rejected rows: %q, want line 5 with its reason", got)
	}
	b.shot("2-import-preview")
	b.do("confirm", chromedp.Click(chromedp.CSS("main form button.primary")), chromedp.WaitVisible(chromedp.CSS("#import-result")))
	if got := b.text("#import-result"); got != "6 mottakere ble importert." {
		t.Errorf("import result: %q", got)
	}

	// Quotas (from a script, through the API), then the chart shows the
	// unmet minimums.
	r := call(t, "PUT", svc.url+"/api/v1/campaigns/1/quotas?seats=2", apiToken,
		`[{"category":"gender","value":"kvinne","min":1,"max":1},{"category":"gender","value":"mann","min":1,"max":1}]`)
	if r.status != 200 {
		t.Fatalf("quotas: %d %s", r.status, r.body)
	}
	b.open("/campaigns/1")
	if got := b.text("#pool-table"); !strings.Contains(got, "mangler 1") {
		t.Errorf("pool table before replies: %q, want unmet minimums", got)
	}

	// Send; the overview's figures follow the simulated SMS by themselves.
	b.do("send", chromedp.Click(chromedp.CSS(`form[action$="/send"] button`)))
	b.waitJS("the overview after send", `location.search.includes("notice=send") && document.readyState === "complete"`)
	b.waitJS("every invitation delivered", `document.getElementById("progress-delivered").textContent === "6"`)
	if st := b.text("#campaign-state"); st != "Sender" {
		t.Errorf("state after send: %q, want Sender", st)
	}
	b.shot("3-sending")

	// While the page stays open, a script adds recipients and sends again:
	// the figures follow without a reload.
	b.waitJS("a marker on the open page", `(window.stillHere = true)`)
	if r := postCSV(t, svc.url+"/api/v1/campaigns/1/recipients", apiToken, "phone,gender,district\n+4791000071,mann,Heimdal\n+4791000072,kvinne,Heimdal\n"); r.status != 200 {
		t.Fatalf("import by API: %d %s", r.status, r.body)
	}
	if r := call(t, "POST", svc.url+"/api/v1/campaigns/1/send", apiToken, ""); r.status != 202 {
		t.Fatalf("send by API: %d %s", r.status, r.body)
	}
	b.waitJS("the live figures to follow", `window.stillHere === true && document.getElementById("progress-delivered").textContent === "8"`)

	// A woman says yes and answers the two questions: the pool meets the
	// women's minimum.
	for i, body := range []string{"Ja", "3", "Ja"} {
		form := url.Values{"MessageSid": {fmt.Sprintf("SMbr%d", i)}, "From": {"+4791000002"}, "To": {"+4759440000"}, "Body": {body}}
		if status, resp, err := signedPost(client, svc.url, "/webhooks/twilio/sms", token, form); err != nil || status != 200 {
			t.Fatalf("reply %q: %d %s %v", body, status, resp, err)
		}
	}
	b.open("/campaigns/1")
	if got := b.text("#pool-size"); got != "1" {
		t.Errorf("pool after the replies: %q, want 1", got)
	}
	if got := b.text("#replies-by-day"); !strings.Contains(got, "Nye frivillige per dag") || !strings.Contains(got, "1") {
		t.Errorf("replies over time: %q, want one new volunteer today", got)
	}
	table := b.text("#pool-table")
	if !strings.Contains(table, "nådd") {
		t.Errorf("pool table after replies: %q, want the women's minimum met", table)
	}
	if !strings.Contains(table, "mangler 1") {
		t.Errorf("pool table after replies: %q, want the men's minimum still unmet", table)
	}
	b.shot("4-pool")

	// English by the picker; the audit log verifies.
	b.do("pick English", chromedp.SetValue(chromedp.CSS("#lang-pick"), "en"),
		chromedp.Click(chromedp.CSS(`form[action="/lang"] button`)))
	b.waitJS("the page in English", `document.documentElement.lang === "en" && document.readyState === "complete"`)
	if st := b.text("#campaign-state"); st != "Sending" {
		t.Errorf("state in English: %q, want Sending", st)
	}
	b.open("/audit")
	if got := b.text("#verification"); !strings.HasPrefix(got, "The chain is verified") {
		t.Errorf("audit verification: %q", got)
	}
	b.shot("5-audit")
	t.Logf("screenshots in %s", b.dir)
}

// TestConsoleWithoutJavaScript signs in, previews and saves a campaign,
// and sends it, in a browser that runs no script: every action is a
// plain form.
func TestConsoleWithoutJavaScript(t *testing.T) {
	db := storetest.SQLite(t)
	env := map[string]string{"PANEL_DATABASE_URL": db.URL, "PANEL_ADDR": "127.0.0.1:0", "PANEL_LOG_LEVEL": "warn"}
	out, stderr, err := runCmd(t, env, "user", "create", "--name", "kari", "--role", "organiser")
	if err != nil {
		t.Fatalf("user create: %v\n%s", err, stderr)
	}
	svc := startServe(t, env)
	b := newTab(t, svc.url)
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable scripts: %v", err)
	}
	b.open("/login")
	b.do("sign in", chromedp.SendKeys(chromedp.CSS("#name"), "kari"), chromedp.SendKeys(chromedp.CSS("#password"), strings.TrimSpace(out)),
		chromedp.Click(chromedp.CSS("main button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("a.button.primary")))
	b.open("/campaigns/new")
	b.do("type", chromedp.SendKeys(chromedp.CSS("#name"), "Uten skript"),
		chromedp.SendKeys(chromedp.CSS("#invitation_text"), "Hei – svar {keyword}!"))
	time.Sleep(time.Second) // the live preview would have answered by now
	if got := b.text("#preview-text"); got != "" {
		t.Fatalf("the live preview ran (%q): scripts are not disabled", got)
	}
	b.do("preview by the button", chromedp.Click(chromedp.CSS(`button[value=preview]`)), chromedp.WaitVisible(chromedp.CSS(`#preview-warnings li`)))
	if got := b.text("#preview-text"); got != "Hei – svar JA!" {
		t.Errorf("server-side preview: %q", got)
	}
	if got := b.text("#preview-encoding"); got != "UCS-2" {
		t.Errorf("the long dash makes UCS-2: got %q", got)
	}
	b.do("save", chromedp.Click(chromedp.CSS(`button[value=save]`)), chromedp.WaitVisible(chromedp.CSS("#progress")))
	b.do("send", chromedp.Click(chromedp.CSS(`form[action$="/send"] button`)), chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := b.text(".notice"); !strings.Contains(got, "lagt i kø") {
		t.Errorf("after send: notice %q", got)
	}
	b.shot("no-script")
}
