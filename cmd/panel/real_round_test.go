package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/sortition"
)

// roundPublicURL is the PANEL_PUBLIC_URL of the real-round test: inbound
// webhooks are signed for it, and the fake's status callbacks to it are
// refused on loopback (the round does not need them).
const roundPublicURL = "http://127.0.0.1:1"

// cp1252 encodes s as Windows-1252, as Norwegian Excel's "CSV
// (semikolonseparert)" writes it; it fails t on a rune outside Latin-1.
func cp1252(t testing.TB, s string) string {
	t.Helper()
	var b strings.Builder
	for _, r := range s {
		if r > 0xFF {
			t.Fatalf("cp1252: %q is outside Latin-1", r)
		}
		b.WriteByte(byte(r))
	}
	return b.String()
}

// send sends one request with a body of the given content type.
func send(t testing.TB, method, target, token, contentType, body string) reply {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: res.StatusCode, header: res.Header, body: b}
}

// TestRealRound runs a round as Norwegian organisers do: a Windows-1252,
// semicolon-separated recipients file with Norwegian headers and
// addresses, invitations through the fake Twilio with the real twilio-go
// client, signed replies, the campaign's own age bands, quotas, and a draw with the household rule on
// the address column. Two volunteers share "Tiller ringvei 71": the record
// gives them one household key, never seats both (for the seed drawn and
// for others), "panel verify" accepts it, and every volunteer is told the
// outcome through the fake.
func TestRealRound(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			db.SkipIfUnavailable(t)
			testRealRound(t, db)
		})
	}
}

func testRealRound(t *testing.T, db storetest.Database) {
	fake := faketwilio.New(faketwilio.Options{Seed: 15})
	if _, err := fake.Start(); err != nil {
		t.Fatalf("fake twilio: %v", err)
	}
	t.Cleanup(fake.Close)
	env := map[string]string{
		"PANEL_DATABASE_URL":  db.URL,
		"PANEL_ADDR":          "127.0.0.1:0",
		"PANEL_LOG_LEVEL":     "warn",
		"PANEL_PUBLIC_URL":    roundPublicURL,
		"PANEL_SMS":           "twilio",
		"TWILIO_ACCOUNT_SID":  fake.AccountSID(),
		"TWILIO_AUTH_TOKEN":   fake.AuthToken(),
		"TWILIO_FROM":         "+4759440000",
		"TWILIO_API_BASE_URL": fake.BaseURL(),
	}
	org := createToken(t, env, panel.RoleOrganiser, "kari")
	svc := startServe(t, env)
	api := svc.url + "/api/v1"

	var created struct{ ID int64 }
	r := call(t, "POST", api+"/campaigns", org, `{"name":"Innbyggerpanelet Trondheim","invitation_text":"Hei! Vil du være med i innbyggerpanelet for Trondheim? Svar {keyword} eller NEI.","send_rate":50,"quiet_hours":""}`)
	if r.status != 201 {
		t.Fatalf("create campaign: %d %s", r.status, r.body)
	}
	r.json(t, &created)
	campaign := fmt.Sprintf("%s/campaigns/%d", api, created.ID)
	// The organiser's own age bands, set while the campaign is a draft.
	if r := call(t, "PATCH", campaign, org, `{"age_bands":["18-34","35-69","70+"]}`); r.status != 200 {
		t.Fatalf("PATCH age_bands: %d %s", r.status, r.body)
	}

	// Rows 1 and 2 are one household, the address written as people do.
	file := "Mobil;Kjønn;Fødselsår;Bydel;Adresse\r\n" +
		"912 34 501;Kvinne;1980;Heimdal;Tiller ringvei 71\r\n" +
		"912 34 502;Mann;1978;Heimdal;Tiller Ringvei 71\r\n" +
		"912 34 503;Kvinne;1991;Østbyen;Nedre Møllenberg gate 12\r\n" +
		"912 34 504;Mann;1965;Østbyen;Bromstadvegen 40\r\n" +
		"912 34 505;Kvinne;1957;Midtbyen;Kjøpmannsgata 3\r\n" +
		"912 34 506;Mann;2001;Lerkendal;Elgeseter gate 30\r\n"
	phones := []string{"+4791234501", "+4791234502", "+4791234503", "+4791234504", "+4791234505", "+4791234506"}
	r = send(t, "POST", campaign+"/recipients", org, "text/csv", cp1252(t, file))
	if r.status != 200 || !strings.Contains(string(r.body), `"imported":6`) {
		t.Fatalf("import of the Windows-1252 file: got %d %s, want 6 imported", r.status, r.body)
	}
	if r := call(t, "POST", campaign+"/send", org, ""); r.status != 202 {
		t.Fatalf("send: %d %s", r.status, r.body)
	}
	deadline := time.Now().Add(sendWait)
	for got := 0; got < len(phones); {
		got = 0
		for _, p := range phones {
			got += min(fake.CountTo(p), 1)
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %d of %d numbers got their invitation", sendWait, got, len(phones))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if m := fake.SentTo(phones[2]); len(m) != 1 || !strings.Contains(m[0].Body, "innbyggerpanelet for Trondheim") {
		t.Fatalf("invitation to %s: got %+v, want one with the campaign's text", phones[2], m)
	}

	// Everyone answers JA and completes the dialogue: education, then
	// whether they can attend.
	sid := 0
	text := func(from, body string) string {
		t.Helper()
		sid++
		form := url.Values{"MessageSid": {fmt.Sprintf("SMround%04d", sid)}, "From": {from}, "To": {"+4759440000"}, "Body": {body}, "AccountSid": {fake.AccountSID()}}
		status, answer, err := postForm(client, svc.url+"/webhooks/twilio/sms", form, fake.Sign(roundPublicURL+"/webhooks/twilio/sms", form))
		if err != nil || status != 200 {
			t.Fatalf("sms %q from %s: got %d %q, %v", body, from, status, answer, err)
		}
		return answer
	}
	// One asks who is writing first, and one says yes with a question:
	// both questions reach the organisers' inbox.
	text(phones[5], "Hvem er dere?")
	for i, p := range phones {
		yes := "JA"
		if i == 4 {
			yes = "Ja, gjerne! Når er møtene?"
		}
		for _, body := range []string{yes, "3", "Ja"} {
			text(p, body)
		}
	}
	var inbox struct {
		Messages []json.RawMessage
	}
	r = call(t, "GET", campaign+"/inbox?state=open", org, "")
	r.json(t, &inbox)
	if len(inbox.Messages) != 2 || !strings.Contains(string(r.body), "Hvem er dere?") || !strings.Contains(string(r.body), "Når er møtene?") {
		t.Errorf("open inbox: got %s, want the two questions", r.body)
	}
	var stats struct {
		Volunteers int `json:"volunteers"`
	}
	call(t, "GET", campaign+"/stats", org, "").json(t, &stats)
	if stats.Volunteers != len(phones) {
		t.Fatalf("stats: %d volunteers, want %d (%s)", stats.Volunteers, len(phones), call(t, "GET", campaign+"/stats", org, "").body)
	}

	// Quotas as organisers write them: semicolons, Norwegian values.
	quotas := "category;name;min;max\n" +
		"gender;Kvinne;2;2\ngender;Mann;2;2\n" +
		"district;Heimdal;1;2\ndistrict;Østbyen;0;2\ndistrict;Midtbyen;0;2\ndistrict;Lerkendal;0;2\n" +
		"age;18-34;0;4\nage;35-69;0;4\nage;70+;0;4\n"
	if r := send(t, "PUT", campaign+"/quotas", org, "text/csv", quotas); r.status != 200 {
		t.Fatalf("quotas: %d %s", r.status, r.body)
	}

	// The pool against the quotas, values matched whatever their case.
	var pool struct {
		Volunteers []struct {
			ID          string
			RecipientID int64 `json:"recipient_id"`
		}
		Composition struct {
			Values []struct {
				Category, Value string
				Pool            int
			}
			Unmet []json.RawMessage
		}
	}
	r = call(t, "GET", campaign+"/pool", org, "")
	r.json(t, &pool)
	counts := map[string]int{}
	for _, v := range pool.Composition.Values {
		counts[v.Category+"/"+v.Value] = v.Pool
	}
	if counts["gender/Kvinne"] != 3 || counts["district/Østbyen"] != 2 || counts["district/Heimdal"] != 2 || len(pool.Composition.Unmet) != 0 {
		t.Errorf("pool composition: got %v, unmet %s; want 3 Kvinne, 2 Østbyen, 2 Heimdal, nothing unmet", counts, pool.Composition.Unmet)
	}
	if strings.Contains(strings.ToLower(string(r.body)), "ringvei") {
		t.Errorf("the pool answer shows an address")
	}

	// A column no volunteer has is refused, naming it.
	r = call(t, "POST", campaign+"/draws", org, `{"seats":4,"reserves":1,"algorithm":"leximin","address_columns":["Postnummer"]}`)
	if r.status != 422 || !strings.Contains(string(r.body), "Postnummer") {
		t.Fatalf("draw with an address column no volunteer has: got %d %s, want 422 naming it", r.status, r.body)
	}
	r = call(t, "POST", campaign+"/draws", org, `{"seats":4,"reserves":1,"algorithm":"leximin","address_columns":["Adresse"]}`)
	if r.status != 201 {
		t.Fatalf("draw: %d %s", r.status, r.body)
	}
	var d struct {
		ID    int64
		State string
		Error string
	}
	r.json(t, &d)
	for d.State != "committed" {
		if d.State == "failed" || time.Now().After(deadline) {
			t.Fatalf("draw: state %q (%s), want committed", d.State, d.Error)
		}
		time.Sleep(50 * time.Millisecond)
		call(t, "GET", fmt.Sprintf("%s/draws/%d", api, d.ID), org, "").json(t, &d)
	}
	r = call(t, "POST", fmt.Sprintf("%s/draws/%d/seed", api, d.ID), org, `{"seed":"2026-12-06 Trondheim"}`)
	if r.status != 200 {
		t.Fatalf("seed: %d %s", r.status, r.body)
	}
	raw := r.body
	if strings.Contains(string(raw), "+47") || strings.Contains(strings.ToLower(string(raw)), "ringvei") {
		t.Fatalf("the record holds a phone number or an address")
	}
	var rec sortition.Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatalf("record: %v", err)
	}
	if len(rec.HouseholdColumns) != 1 {
		t.Errorf("household_columns: got %q, want the one address column", rec.HouseholdColumns)
	}
	// The pair is the two Heimdal volunteers. They share one opaque key;
	// everyone alone at an address has none (the record tells no more).
	households := map[string][]string{}
	var pair []string
	for _, p := range rec.Pool {
		households[p.Household] = append(households[p.Household], p.ID)
		if strings.EqualFold(p.Values["district"], "heimdal") {
			pair = append(pair, p.ID)
		}
		if a := p.Values["age"]; a != "18-34" && a != "35-69" && a != "70+" {
			t.Errorf("pool member %s: age %q, want one of the campaign's bands", p.ID, a)
		}
		if strings.ContainsRune(fmt.Sprint(p.Values), '\uFFFD') {
			t.Errorf("pool member %s has a replacement character: %v", p.ID, p.Values)
		}
	}
	if len(pair) != 2 || len(households) != 2 || len(households[""]) != len(phones)-2 ||
		lookupHousehold(rec.Pool, pair[0]) == "" || lookupHousehold(rec.Pool, pair[0]) != lookupHousehold(rec.Pool, pair[1]) {
		t.Fatalf("households: got %v, Heimdal volunteers %v; want the two of Tiller ringvei 71 sharing one key and no other key", households, pair)
	}

	// Never both on the panel: for the seed drawn and for others, from
	// the committed record.
	checkPanel := func(seed string, selected []string) {
		n := 0
		for _, id := range selected {
			if id == pair[0] || id == pair[1] {
				n++
			}
		}
		// Heimdal's minimum of one seat can only be met from the pair.
		if n != 1 {
			t.Errorf("seed %q: %d of the household on the panel %v, want exactly 1", seed, n, selected)
		}
	}
	checkPanel(rec.Seed, rec.Selected)
	for i := range 12 {
		var again sortition.Record
		if err := json.Unmarshal(raw, &again); err != nil {
			t.Fatal(err)
		}
		again.Seed, again.LotteryIndex, again.Selected, again.Reserves = "", nil, nil, nil
		seed := fmt.Sprintf("seed %d", i)
		if err := again.Draw(seed); err != nil {
			t.Fatalf("Draw(%q): %v", seed, err)
		}
		checkPanel(seed, again.Selected)
	}

	// Each volunteer is told the outcome: the household member left off
	// the panel hears that they were not selected (or are a reserve).
	phoneOf := map[string]string{}
	for _, v := range pool.Volunteers {
		phoneOf[v.ID] = phones[v.RecipientID-1]
	}
	if r := call(t, "POST", fmt.Sprintf("%s/draws/%d/notify", api, d.ID), org, ""); r.status != 202 {
		t.Fatalf("notify: %d %s", r.status, r.body)
	}
	outcome := map[string]string{}
	for _, id := range rec.Selected {
		outcome[id] = "selected"
	}
	for _, id := range rec.Reserves {
		outcome[id] = "reserve"
	}
	bodies := map[string]map[string]bool{}
	for _, p := range rec.Pool {
		sent := fake.SentTo(phoneOf[p.ID])
		for len(sent) < 2 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			sent = fake.SentTo(phoneOf[p.ID])
		}
		if len(sent) != 2 {
			t.Fatalf("volunteer %s got %d messages, want the invitation and the outcome", p.ID, len(sent))
		}
		kind := cmp.Or(outcome[p.ID], "not selected")
		if bodies[kind] == nil {
			bodies[kind] = map[string]bool{}
		}
		bodies[kind][sent[1].Body] = true
	}
	if len(bodies) != 3 || len(bodies["selected"]) != 1 || len(bodies["reserve"]) != 1 || len(bodies["not selected"]) != 1 {
		t.Errorf("outcome messages: got %v, want one text for the selected, one for the reserve and one for the rest", bodies)
	}

	// panel verify re-derives the record.
	path := filepath.Join(t.TempDir(), "record.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if stdout, stderr, err := runCmd(t, env, "verify", path); err != nil {
		t.Errorf("panel verify: %v\n%s%s", err, stdout, stderr)
	}
	if err := svc.stop(t); err != nil {
		t.Errorf("serve: %v", err)
	}
	if logs := svc.logs.String(); strings.Contains(logs, "91234501") || strings.Contains(logs, "Tiller") {
		t.Errorf("serve logs hold a phone number or an address:\n%.3000s", logs)
	}
}

// lookupHousehold returns the household key of id in pool.
func lookupHousehold(pool []sortition.Person, id string) string {
	for _, p := range pool {
		if p.ID == id {
			return p.Household
		}
	}
	return ""
}
