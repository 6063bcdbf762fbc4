package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", to count what was stored

	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// loadChildEnv marks the child process of BenchmarkWebhookLoad.
const loadChildEnv = "PANEL_WEBHOOK_LOAD_CHILD"

// loadProfileEnv, when set to a file name, makes BenchmarkWebhookLoad's
// server process write its CPU profile there.
const loadProfileEnv = "PANEL_WEBHOOK_LOAD_CPUPROFILE"

// TestWebhookLoadChild is "panel serve" in the server process of
// BenchmarkWebhookLoad, configured by the environment; otherwise it skips.
func TestWebhookLoadChild(t *testing.T) {
	if os.Getenv(loadChildEnv) != "1" {
		t.Skip("runs only as BenchmarkWebhookLoad's server process")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx, []string{"serve"}, os.Getenv, os.Stdout, os.Stderr); err != nil {
		t.Fatalf("serve: %v", err)
	}
}

// loadAppName is the application_name of the service's database
// connections in BenchmarkWebhookLoad, to find their backends.
const loadAppName = "panel_webhook_load"

// Load shape of BenchmarkWebhookLoad.
const (
	loadPeople  = 2000 // recipients per round; each sends "ja", "2 ja", "ja"
	loadWorkers = 32   // concurrent webhook requests, as Twilio's would be
	loadDupEach = 10   // every tenth message is delivered twice (a Twilio retry)
)

// BenchmarkWebhookLoad measures signed inbound SMS webhooks per second
// against "panel serve" on PostgreSQL in a separate process, driven over
// loopback by loadWorkers concurrent clients that sign every request as
// Twilio does. Each round invites loadPeople recipients who say yes,
// answer both questions in one message and say yes again; every tenth
// message is delivered twice. After each round it checks that every
// message was stored once and every person is a complete volunteer.
// Reports replies/s and the 99th percentile latency in ms.
func BenchmarkWebhookLoad(b *testing.B) {
	db := storetest.Postgres(b)
	db.SkipIfUnavailable(b)
	st := openStore(b, db.URL)
	const token = "0123456789abcdef0123456789abcdef"
	base, serverPID := startServeProcess(b, db.URL+"&application_name="+loadAppName, token)
	sqlDB, err := sql.Open("pgx", db.URL)
	if err != nil {
		b.Fatalf("sql.Open: %v", err)
	}
	defer sqlDB.Close()

	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: loadWorkers, MaxConnsPerHost: loadWorkers, IdleConnTimeout: time.Minute}}
	signer := faketwilio.New(faketwilio.Options{AuthToken: token})
	var (
		latencies []time.Duration
		elapsed   time.Duration
		requests  int
		round     int
		cpu       [3]time.Duration // client, server, database
	)
	for b.Loop() {
		b.StopTimer()
		campaignID, phones := inviteRecipients(b, st, fmt.Sprintf("load %d", round), round*loadPeople+1, int64(round*loadPeople+1), loadPeople)
		type msg struct{ form url.Values }
		var msgs []msg
		bodies := []string{"ja", "2 ja", "ja"}
		for k := range len(bodies) * loadPeople {
			form := url.Values{
				"MessageSid": {fmt.Sprintf("SMload%03d%08d", round, k)}, "AccountSid": {"AC0"}, "From": {phones[k%loadPeople]},
				"To": {"+4759440000"}, "Body": {bodies[k/loadPeople]}, "NumMedia": {"0"}, "SmsStatus": {"received"},
			}
			msgs = append(msgs, msg{form: form})
			if k%loadDupEach == 0 {
				msgs = append(msgs, msg{form: form})
			}
		}
		b.StartTimer()

		var next atomic.Int64
		var mu sync.Mutex
		var failures atomic.Int64
		start := time.Now()
		cpu0 := takeCPUSample(context.Background(), sqlDB, serverPID, loadAppName)
		var wg sync.WaitGroup
		for range loadWorkers {
			wg.Go(func() {
				var lat []time.Duration
				for {
					i := int(next.Add(1) - 1)
					if i >= len(msgs) {
						break
					}
					t0 := time.Now()
					// Signing is part of each request, as Twilio's would be.
					sig := signer.Sign(publicURL+"/webhooks/twilio/sms", msgs[i].form)
					status, body, err := postForm(client, base+"/webhooks/twilio/sms", msgs[i].form, sig)
					lat = append(lat, time.Since(t0))
					if err != nil || status != 200 || !strings.HasPrefix(body, "<?xml") {
						if failures.Add(1) <= 3 {
							b.Errorf("message %d: got %d %.200s, %v", i, status, body, err)
						}
					}
				}
				mu.Lock()
				latencies = append(latencies, lat...)
				mu.Unlock()
			})
		}
		wg.Wait()
		elapsed += time.Since(start)
		requests += len(msgs)

		b.StopTimer()
		client, server, dbCPU := takeCPUSample(context.Background(), sqlDB, serverPID, loadAppName).since(cpu0)
		cpu[0], cpu[1], cpu[2] = cpu[0]+client, cpu[1]+server, cpu[2]+dbCPU
		var stored, distinct, handled int
		err := sqlDB.QueryRow(`SELECT count(*), count(DISTINCT provider_id), count(*) FILTER (WHERE state = 'handled')
			FROM inbound_messages WHERE campaign_id = $1`, campaignID).Scan(&stored, &distinct, &handled)
		if err != nil {
			b.Fatalf("count stored messages: %v", err)
		}
		if want := len(bodies) * loadPeople; stored != want || distinct != want || handled != want {
			b.Errorf("round %d: stored %d messages (%d distinct, %d handled), want each of %d once", round, stored, distinct, handled, want)
		}
		pool, err := st.ListPool(context.Background(), campaignID)
		if err != nil || len(pool) != loadPeople {
			b.Errorf("round %d: pool has %d volunteers (%v), want %d", round, len(pool), err, loadPeople)
		}
		round++
		b.StartTimer()
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(requests)/elapsed.Seconds(), "replies/s")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99_ms")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50_ms")
	// CPU per reply of each part (ms), to tell where a 2-core machine's
	// time goes: the load generator, the service, the database backends.
	perReply := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(requests) }
	b.ReportMetric(perReply(cpu[0]), "client_cpu_ms/reply")
	b.ReportMetric(perReply(cpu[1]), "server_cpu_ms/reply")
	b.ReportMetric(perReply(cpu[2]), "db_cpu_ms/reply")
}

// startServeProcess runs "panel serve" on dbURL in a child process (this
// test binary, running TestWebhookLoadChild) and returns its base URL and
// process id. The child is stopped with SIGTERM when the benchmark ends.
func startServeProcess(b *testing.B, dbURL, token string) (string, int) {
	b.Helper()
	args := []string{"-test.run=^TestWebhookLoadChild$", "-test.count=1"}
	if prof := os.Getenv(loadProfileEnv); prof != "" {
		args = append(args, "-test.cpuprofile="+prof)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), loadChildEnv+"=1", "PANEL_DATABASE_URL="+dbURL, "PANEL_ADDR=127.0.0.1:0",
		"PANEL_PUBLIC_URL="+publicURL, "TWILIO_AUTH_TOKEN="+token, "PANEL_LOG_LEVEL=error")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatalf("stdout pipe: %v", err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatalf("start serve process: %v", err)
	}
	b.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if addr, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
			go func() {
				for sc.Scan() {
				}
			}()
			return "http://" + addr, cmd.Process.Pid
		}
	}
	b.Fatalf("serve process ended before listening")
	return "", 0
}
