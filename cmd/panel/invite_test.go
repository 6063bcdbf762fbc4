package main

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// sendWait bounds how long the invitations may take to reach the fake. It
// is a ceiling for a polling loop, not a measured figure.
const sendWait = 3 * time.Minute

// postCSV posts a CSV body.
func postCSV(t testing.TB, url, token, body string) reply {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "text/csv")
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: res.StatusCode, header: res.Header, body: b}
}

// TestInvitationsEndToEnd runs "panel serve" with PANEL_SMS=twilio against
// the fake Twilio: recipients imported over HTTP, sent, 429s and 5xx
// injected for a while, three numbers refused permanently; every other
// number must receive exactly one invitation. On PostgreSQL two replicas
// drain the one outbox (so the campaign's 100 messages per second limit,
// which holds per sender, lets 4000 through in about 20 s, and no replica may
// double-send); on SQLite one process sends a smaller round. Each replica
// holds up to 20 PostgreSQL connections, so two keep well within the
// server's default of 100 while other packages' tests run.
func TestInvitationsEndToEnd(t *testing.T) {
	for _, tc := range []struct {
		db         storetest.Database
		recipients int
		replicas   int
	}{
		{storetest.SQLite(t), 400, 1},
		{storetest.Postgres(t), 4000, 2},
	} {
		t.Run(tc.db.Name, func(t *testing.T) {
			tc.db.SkipIfUnavailable(t)
			testInvitationRound(t, tc.db, tc.recipients, tc.replicas)
		})
	}
}

func testInvitationRound(t *testing.T, db storetest.Database, n, replicas int) {
	fake := faketwilio.New(faketwilio.Options{Seed: 7})
	if _, err := fake.Start(); err != nil {
		t.Fatalf("fake twilio: %v", err)
	}
	t.Cleanup(fake.Close)
	env := map[string]string{
		"PANEL_DATABASE_URL":  db.URL,
		"PANEL_ADDR":          "127.0.0.1:0",
		"PANEL_LOG_FORMAT":    "json",
		"PANEL_LOG_LEVEL":     "warn",
		"PANEL_PUBLIC_URL":    "http://127.0.0.1:1", // status callbacks are another helper's route
		"PANEL_SMS":           "twilio",
		"TWILIO_ACCOUNT_SID":  fake.AccountSID(),
		"TWILIO_AUTH_TOKEN":   fake.AuthToken(),
		"TWILIO_FROM":         "+4759440000",
		"TWILIO_API_BASE_URL": fake.BaseURL(),
	}
	org := createToken(t, env, panel.RoleOrganiser, "alice")
	var svcs []*service
	for range replicas {
		svcs = append(svcs, startServe(t, env))
	}
	api := svcs[0].url + "/api/v1"

	r := call(t, "POST", api+"/campaigns", org, `{"name":"Trondheim","invitation_text":"Hei! Vil du være med i innbyggerpanelet for Trondheim? Svar {keyword} innen fredag.","send_rate":100,"quiet_hours":""}`)
	if r.status != 201 {
		t.Fatalf("create campaign: %d %s", r.status, r.body)
	}
	phones := make([]string, n)
	var csv strings.Builder
	csv.WriteString("phone,gender,age,district\n")
	for i := range n {
		phones[i] = fmt.Sprintf("+4790%06d", i)
		// Half the file in national form with spaces, as registers write it.
		written := phones[i]
		if i%2 == 1 {
			written = fmt.Sprintf("90 %02d %02d %02d", i/10000, i/100%100, i%100)
		}
		fmt.Fprintf(&csv, "%s,%s,%d,%s\n", written, []string{"kvinne", "mann"}[i%2], 18+i%70, []string{"Midtbyen", "Heimdal", "Lerkendal", "Østbyen"}[i%4])
	}
	start := time.Now()
	r = postCSV(t, api+"/campaigns/1/recipients", org, csv.String())
	if r.status != 200 || !strings.Contains(string(r.body), fmt.Sprintf(`"imported":%d`, n)) {
		t.Fatalf("import: got %d %.300s", r.status, r.body)
	}
	t.Logf("imported %d recipients over HTTP in %s", n, time.Since(start).Round(time.Millisecond))

	permanent := map[string]int{phones[10]: 21211, phones[11]: 21610, phones[12]: 21614}
	for p, code := range permanent {
		fake.SetNumberError(p, code)
	}
	// A storm of 429s, then a burst of 5xx, as the round starts.
	fake.RateLimitNext(n / 10)
	fake.FailNext(n/20, 503)
	start = time.Now()
	if r := call(t, "POST", api+"/campaigns/1/send", org, ""); r.status != 202 {
		t.Fatalf("send: %d %s", r.status, r.body)
	}
	if r := call(t, "POST", api+"/campaigns/1/send", org, ""); r.status != 202 || !strings.Contains(string(r.body), `"enqueued":0`) {
		t.Fatalf("send again: got %d %s, want 202 with nothing enqueued", r.status, r.body)
	}

	var stats panel.CampaignStats
	deadline := time.Now().Add(sendWait)
	for {
		call(t, "GET", api+"/campaigns/1/stats", org, "").json(t, &stats)
		if stats.Queued == 0 && stats.Invitations == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: stats %+v, want every invitation handled", sendWait, stats)
		}
		time.Sleep(200 * time.Millisecond)
	}
	elapsed := time.Since(start)
	t.Logf("%d invitations handled in %s (%.0f/s) by %d replica(s)", n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), replicas)

	got := map[string]int{}
	for _, m := range fake.Messages() {
		got[m.To]++
	}
	for _, p := range phones {
		want := 1
		if permanent[p] != 0 {
			want = 0
		}
		if got[p] != want {
			t.Errorf("messages to %s: got %d, want %d", p, got[p], want)
		}
	}
	if len(got) != n-len(permanent) {
		t.Errorf("fake received messages for %d numbers, want %d", len(got), n-len(permanent))
	}
	if stats.Failed != 3 || stats.Unreachable != 2 || stats.OptedOut != 1 || stats.Sent+stats.Delivered != n-3 || stats.Recipients != n {
		t.Errorf("stats: got %+v, want %d sent, 3 failed, 2 unreachable, 1 opted out", stats, n-3)
	}

	// Each permanent refusal was recorded once and never retried; the
	// storm was retried.
	counts := map[string]float64{}
	line := regexp.MustCompile(`(?m)^panel_sms_outcomes_total\{code="(\d+)",outcome="(\w+)"\} (\S+)$`)
	for _, s := range svcs {
		for _, m := range line.FindAllStringSubmatch(string(call(t, "GET", s.url+"/metrics", "", "").body), -1) {
			v, _ := strconv.ParseFloat(m[3], 64)
			counts[m[2]+"/"+m[1]] += v
		}
	}
	for _, code := range []string{"21211", "21610", "21614"} {
		if counts["failed/"+code] != 1 || counts["retried/"+code] != 0 {
			t.Errorf("outcomes for code %s: failed %g retried %g, want 1 and 0", code, counts["failed/"+code], counts["retried/"+code])
		}
	}
	if counts["retried/20429"] == 0 || counts["retried/20503"] == 0 || counts["sent/0"]+counts["adopted/0"] != float64(n-3) {
		t.Errorf("outcomes: got %v, want retries of 429s and 503s and %d sent", counts, n-3)
	}

	for _, s := range svcs {
		if err := s.stop(t); err != nil {
			t.Errorf("serve after cancel: %v", err)
		}
		logs := s.logs.String()
		for _, p := range []string{phones[0][3:], phones[10][3:], "innbyggerpanelet"} {
			if strings.Contains(logs, p) {
				t.Errorf("serve logs contain a phone number or message text (%q)", p)
			}
		}
		if t.Failed() {
			t.Logf("serve logs:\n%.5000s", logs)
		}
	}
}
