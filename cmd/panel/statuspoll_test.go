package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/config"
	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestServeReconcilesLostStatuses runs the service with PANEL_SMS=twilio
// against the fake Twilio while every status callback is lost (the
// public URL leads nowhere, as when the service is down when Twilio
// posts): invitations stay sent until, ten minutes on, the status poller
// fetches their statuses from Twilio and applies them.
func TestServeReconcilesLostStatuses(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			db.SkipIfUnavailable(t)
			fake := faketwilio.New(faketwilio.Options{Seed: 11})
			if _, err := fake.Start(); err != nil {
				t.Fatalf("fake twilio: %v", err)
			}
			t.Cleanup(fake.Close)
			phones := []string{"+4791000001", "+4791000002", "+4791000003", "+4791000004"}
			fake.SetOutcome(phones[1], faketwilio.Undelivered30005)
			fake.SetOutcome(phones[2], faketwilio.Failed)
			env := map[string]string{
				"PANEL_DATABASE_URL":  db.URL,
				"PANEL_ADDR":          "127.0.0.1:0",
				"PANEL_PUBLIC_URL":    "http://127.0.0.1:1", // callbacks are lost
				"PANEL_SMS":           config.SMSTwilio,
				"PANEL_LOG_LEVEL":     "info",
				"TWILIO_ACCOUNT_SID":  fake.AccountSID(),
				"TWILIO_AUTH_TOKEN":   fake.AuthToken(),
				"TWILIO_FROM":         "+4759440000",
				"TWILIO_API_BASE_URL": fake.BaseURL(),
			}
			org := createToken(t, env, panel.RoleOrganiser, "alice")
			cfg, err := config.Load(getenv(env))
			if err != nil {
				t.Fatalf("config: %v", err)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			clock := &sharedClock{loc: time.UTC}
			logs := &syncBuffer{}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				done <- serveWith(ctx, cfg, slog.New(slog.NewTextHandler(logs, nil)), io.Discard, serveOptions{
					now: clock.Now, senderPoll: 20 * time.Millisecond, statusPollEvery: 20 * time.Millisecond, listener: ln,
				})
			}()
			defer func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("serve: %v", err)
				}
				text := logs.String()
				for _, p := range phones {
					if strings.Contains(text, p[3:]) {
						t.Errorf("serve logs contain a phone number")
					}
				}
				if t.Failed() {
					t.Logf("serve logs:\n%.5000s", text)
				}
			}()
			api := "http://" + ln.Addr().String() + "/api/v1"
			awaitStatusReady(t, "http://"+ln.Addr().String())

			if r := call(t, "POST", api+"/campaigns", org, `{"name":"Trondheim","invitation_text":"Hei! Vil du være med? Svar {keyword}.","quiet_hours":""}`); r.status != 201 {
				t.Fatalf("create campaign: %d %s", r.status, r.body)
			}
			if r := postCSV(t, api+"/campaigns/1/recipients", org, "phone\n"+strings.Join(phones, "\n")+"\n"); r.status != 200 {
				t.Fatalf("import: %d %s", r.status, r.body)
			}
			if r := call(t, "POST", api+"/campaigns/1/send", org, ""); r.status != 202 {
				t.Fatalf("send: %d %s", r.status, r.body)
			}
			stats := func() panel.CampaignStats {
				var st panel.CampaignStats
				call(t, "GET", api+"/campaigns/1/stats", org, "").json(t, &st)
				return st
			}
			awaitStatuses(t, "every invitation sent and final at the fake", func() bool {
				final := 0
				for _, m := range fake.Messages() {
					if m.Status == m.Outcome.Status() {
						final++
					}
				}
				return final == len(phones) && stats().Sent == len(phones)
			})
			time.Sleep(100 * time.Millisecond) // several poller ticks: nothing is due yet
			if st := stats(); st.Sent != 4 || fake.TotalFetches() != 0 {
				t.Fatalf("before 10 min: got %+v and %d fetches, want all 4 sent and none fetched", st, fake.TotalFetches())
			}

			clock.add(11 * time.Minute)
			awaitStatuses(t, "the statuses fetched and applied", func() bool {
				st := stats()
				return st.Delivered == 2 && st.Failed == 2 && st.Sent == 0
			})
			polls := map[string]float64{}
			line := regexp.MustCompile(`(?m)^panel_sms_status_polls_total\{result="(\w+)"\} (\S+)$`)
			for _, m := range line.FindAllStringSubmatch(string(call(t, "GET", strings.TrimSuffix(api, "/api/v1")+"/metrics", "", "").body), -1) {
				polls[m[1]], _ = strconv.ParseFloat(m[2], 64)
			}
			want := map[string]float64{"delivered": 2, "undelivered": 1, "failed": 1}
			if fmt.Sprint(polls) != fmt.Sprint(want) {
				t.Errorf("got panel_sms_status_polls_total %v, want %v", polls, want)
			}
			if n := fake.TotalFetches(); n != len(phones) {
				t.Errorf("got %d fetches at the fake, want %d", n, len(phones))
			}
		})
	}
}

// awaitStatusReady waits until the service at base answers /readyz.
func awaitStatusReady(t *testing.T, base string) {
	t.Helper()
	awaitStatuses(t, "the service ready", func() bool {
		r, err := tryCall("GET", base+"/readyz", "", "")
		return err == nil && r.status == 200
	})
}

// awaitStatuses polls cond (real time) until it holds, failing t after 30 s.
func awaitStatuses(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
