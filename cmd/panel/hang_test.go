package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// hangPlan shapes a round during which PostgreSQL stops answering.
type hangPlan struct {
	recipients int           // invitations to send
	rate       int           // the campaign's send_rate
	replies    int           // inbound SMS posted, one after the other, through the outage
	hole       time.Duration // how long the link is black-holed
}

// hangWait bounds how long the service may take to notice the database
// hanging or answering again. A ceiling for polling loops, not a measured
// figure (the measured ones are logged).
const hangWait = 20 * time.Second

// TestPostgresHang black-holes the service's link to PostgreSQL (the
// server accepts TCP and answers nothing, connections already open go
// silent) while invitations are being sent and replies arrive, then heals
// it. /readyz and the inbound webhook must answer 503 during the outage and
// 200 within seconds after it, without a restart; every invitation reaches
// the fake Twilio exactly once and every reply is stored exactly once.
func TestPostgresHang(t *testing.T) {
	runHang(t, hangPlan{recipients: 300, rate: 40, replies: 40, hole: 6 * time.Second})
}

// BenchmarkPostgresHang is the long version: the 40 s stall of the probe
// that found the problem, during a bigger round.
func BenchmarkPostgresHang(b *testing.B) {
	for range b.N {
		heal := runHang(b, hangPlan{recipients: 3000, rate: 100, replies: 300, hole: 40 * time.Second})
		b.ReportMetric(heal.Seconds(), "s-to-ready")
	}
}

// runHang runs the plan and returns how long /readyz took to answer 200
// after the link was healed.
func runHang(tb testing.TB, plan hangPlan) time.Duration {
	db := storetest.Postgres(tb)
	db.SkipIfUnavailable(tb)
	u, err := url.Parse(db.URL)
	if err != nil {
		tb.Fatalf("database URL: %v", err)
	}
	proxy := newProxy(tb, u.Host)
	u.Host = proxy.addr

	// Twilio waits 15 s for a webhook's answer.
	fake := faketwilio.New(faketwilio.Options{Seed: 16, HTTPClient: &http.Client{Timeout: 15 * time.Second}})
	if _, err := fake.Start(); err != nil {
		tb.Fatalf("fake twilio: %v", err)
	}
	tb.Cleanup(fake.Close)
	addr := freePort(tb)
	env := map[string]string{
		"PANEL_DATABASE_URL":  u.String(),
		"PANEL_ADDR":          addr,
		"PANEL_PUBLIC_URL":    "http://" + addr, // status callbacks come back to the service
		"PANEL_LOG_LEVEL":     "warn",
		"PANEL_SMS":           "twilio",
		"TWILIO_ACCOUNT_SID":  fake.AccountSID(),
		"TWILIO_AUTH_TOKEN":   fake.AuthToken(),
		"TWILIO_FROM":         "+4759440000",
		"TWILIO_API_BASE_URL": fake.BaseURL(),
	}
	org := createToken(tb, env, panel.RoleOrganiser, "alice")
	svc := startServe(tb, env)
	api := svc.url + "/api/v1"

	r := call(tb, "POST", api+"/campaigns", org, fmt.Sprintf(
		`{"name":"Hang","invitation_text":"Hei! Vil du være med i innbyggerpanelet? Svar {keyword}.","send_rate":%d,"quiet_hours":""}`, plan.rate))
	if r.status != 201 {
		tb.Fatalf("create campaign: %d %s", r.status, r.body)
	}
	phones := make([]string, plan.recipients)
	var csv strings.Builder
	csv.WriteString("phone,gender\n")
	for i := range phones {
		phones[i] = fmt.Sprintf("+4791%06d", i)
		fmt.Fprintf(&csv, "%s,%s\n", phones[i], []string{"kvinne", "mann"}[i%2])
	}
	if r := postCSV(tb, api+"/campaigns/1/recipients", org, csv.String()); r.status != 200 {
		tb.Fatalf("import: %d %.300s", r.status, r.body)
	}
	if r := call(tb, "POST", api+"/campaigns/1/send", org, ""); r.status != 202 {
		tb.Fatalf("send: %d %s", r.status, r.body)
	}

	// Replies arrive one after the other, each retried as Twilio retries
	// a 5xx or an unanswered call, until it is accepted.
	var (
		hookMu      sync.Mutex
		hookStatus  = map[int]int{}
		holeAt      atomic.Int64 // unix nanos; 0 before the outage
		healAt      atomic.Int64
		first503    atomic.Int64
		firstOKHeal atomic.Int64
		repliesDone = make(chan struct{})
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		defer close(repliesDone)
		pace := time.Duration(float64(plan.recipients)/float64(plan.rate)*float64(time.Second)) / time.Duration(plan.replies)
		for i := range plan.replies {
			sid := fmt.Sprintf("SMhang%030d", i)
			ids := url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "SmsMessageSid": {sid}}
			for {
				status, _, err := fake.SendInbound(ctx, svc.url+"/webhooks/twilio/sms", phones[i], "+4759440000", "JA gjerne", ids)
				if ctx.Err() != nil {
					return
				}
				now := time.Now().UnixNano()
				hookMu.Lock()
				hookStatus[status]++
				hookMu.Unlock()
				if status == 503 && holeAt.Load() != 0 {
					first503.CompareAndSwap(0, now)
				}
				if err == nil && status == 200 {
					if healAt.Load() != 0 {
						firstOKHeal.CompareAndSwap(0, now)
					}
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
			time.Sleep(pace)
		}
	}()

	// The outage starts once a quarter of the invitations went out.
	awaitCond(tb, "a quarter of the invitations sent", func() bool { return len(fake.Messages()) >= plan.recipients/4 })
	proxy.blackhole()
	start := time.Now()
	holeAt.Store(start.UnixNano())
	tb.Logf("link black-holed after %d invitations", len(fake.Messages()))
	down := awaitStatus(tb, svc.url+"/readyz", 503)
	tb.Logf("/readyz 503 after %s", down.Round(time.Millisecond))
	awaitCond(tb, "a webhook answered 503", func() bool { return first503.Load() != 0 })
	tb.Logf("inbound webhook 503 after %s", time.Duration(first503.Load()-start.UnixNano()).Round(time.Millisecond))
	time.Sleep(time.Until(start.Add(plan.hole)))

	proxy.heal()
	healed := time.Now()
	healAt.Store(healed.UnixNano())
	up := awaitStatus(tb, svc.url+"/readyz", 200)
	tb.Logf("/readyz 200 again %s after the link healed", up.Round(time.Millisecond))
	awaitCond(tb, "a webhook answered 200 after the outage", func() bool { return firstOKHeal.Load() != 0 })
	tb.Logf("inbound webhook 200 again %s after the link healed", time.Duration(firstOKHeal.Load()-healed.UnixNano()).Round(time.Millisecond))

	// Everything finishes: each invitation once, each reply stored once.
	var stats panel.CampaignStats
	deadline := time.Now().Add(sendWait)
	for {
		if r, err := tryCall("GET", api+"/campaigns/1/stats", org, ""); err == nil && r.status == 200 {
			r.json(tb, &stats)
			if stats.Queued == 0 && stats.Invitations == plan.recipients {
				break
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("after %s: stats %+v, want every invitation handled\nlogs:\n%.5000s", sendWait, stats, svc.logs)
		}
		time.Sleep(200 * time.Millisecond)
	}
	tb.Logf("every invitation handled %s after the link healed", time.Since(healed).Round(time.Millisecond))
	select {
	case <-repliesDone:
	case <-time.After(sendWait):
		tb.Fatalf("replies not all accepted within %s", sendWait)
	}
	got := map[string]int{}
	for _, m := range fake.Messages() {
		got[m.To]++
	}
	for _, p := range phones {
		if got[p] != 1 {
			tb.Errorf("invitations to %s at the fake Twilio: got %d, want 1", p, got[p])
		}
	}
	sqlDB, err := sql.Open("pgx", db.URL)
	if err != nil {
		tb.Fatalf("sql.Open: %v", err)
	}
	defer sqlDB.Close()
	var stored, distinct int
	if err := sqlDB.QueryRow("SELECT count(*), count(DISTINCT provider_id) FROM inbound_messages WHERE provider_id LIKE 'SMhang%'").Scan(&stored, &distinct); err != nil {
		tb.Fatalf("count inbound: %v", err)
	}
	if stored != plan.replies || distinct != plan.replies {
		tb.Errorf("inbound stored: got %d rows, %d distinct, want %d each", stored, distinct, plan.replies)
	}
	hookMu.Lock()
	tb.Logf("inbound webhook answers: %v; status callbacks posted: %d", hookStatus, len(fake.Callbacks()))
	hookMu.Unlock()

	logs := svc.logs.String()
	if !strings.Contains(logs, "inbound sms not handled") || strings.Contains(logs, `error="internal error"`) {
		tb.Errorf("logs: want the inbound failures logged with their cause\n%.3000s", logs)
	}
	if strings.Contains(logs, `msg="inbound sms not handled" code=internal`) {
		tb.Errorf("logs: an inbound SMS refused during the outage is logged as internal, want unavailable")
	}
	for _, leak := range []string{phones[0][3:], phones[1][3:], "gjerne", "innbyggerpanelet"} {
		if strings.Contains(logs, leak) {
			tb.Errorf("serve logs contain a phone number or message text (%q)", leak)
		}
	}
	if tb.Failed() {
		tb.Logf("serve logs:\n%.6000s", logs)
	}
	if err := svc.stop(tb); err != nil {
		tb.Errorf("serve after cancel: %v", err)
	}
	return up
}

// awaitStatus polls target until it answers status and returns how long
// that took; it fails after hangWait.
func awaitStatus(tb testing.TB, target string, status int) time.Duration {
	tb.Helper()
	start := time.Now()
	c := &http.Client{Timeout: 5 * time.Second}
	var last string
	for time.Since(start) < hangWait {
		res, err := c.Get(target)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == status {
				return time.Since(start)
			}
			last = res.Status
		} else {
			last = err.Error()
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.Fatalf("GET %s: want %d within %s, last %s", target, status, hangWait, last)
	return 0
}

// awaitCond polls cond until it holds; it fails after hangWait.
func awaitCond(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(hangWait)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not within %s", what, hangWait)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
