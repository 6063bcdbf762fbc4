package main

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/config"
	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/simulate"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// Environment of the child process of TestRoundSurvivesKills.
const (
	killChildEnv   = "PANEL_KILL_CHILD"            // "1" in the child
	killOffsetEnv  = "PANEL_KILL_CLOCK_OFFSET"     // the shared clock's offset from real time, in ns
	killControlEnv = "PANEL_KILL_CONTROL_ADDR"     // host:port of the child's control listener
	killServiceNum = simulatedServiceNumber        // the number residents text
	killLease      = 2*time.Minute + 5*time.Second // sender.DefaultLease and a margin
)

// TestKillChild is "panel serve" in the child process of
// TestRoundSurvivesKills, configured by the environment; otherwise it
// skips. Its clock is real time plus an offset the parent sets at start
// and moves with POST /clock?offset=NS on a second, loopback-only listener,
// where POST /due runs the scheduled jobs as their cron ticks would (what
// serveOptions gives `panel simulate` in one process). It runs until it is
// killed.
func TestKillChild(t *testing.T) {
	if os.Getenv(killChildEnv) != "1" {
		t.Skip("runs only as TestRoundSurvivesKills's service process")
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	offset, err := strconv.ParseInt(os.Getenv(killOffsetEnv), 10, 64)
	if err != nil {
		t.Fatalf("%s: %v", killOffsetEnv, err)
	}
	var clockOffset atomic.Int64
	clockOffset.Store(offset)
	now := func() time.Time { return time.Now().Add(time.Duration(clockOffset.Load())).In(cfg.TimeZone) }
	var due atomic.Pointer[func(context.Context) error]
	mux := http.NewServeMux()
	mux.HandleFunc("POST /clock", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.ParseInt(r.FormValue("offset"), 10, 64)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		clockOffset.Store(n)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /due", func(w http.ResponseWriter, r *http.Request) {
		run := due.Load()
		if run == nil {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		if err := (*run)(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	ln, err := net.Listen("tcp", os.Getenv(killControlEnv))
	if err != nil {
		t.Fatalf("control listener: %v", err)
	}
	go func() { _ = http.Serve(ln, mux) }()
	// The parent holds our stdin open; when it ends, however it ends, so
	// do we.
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(3)
	}()
	err = serveWith(context.Background(), cfg, newLogger(cfg, os.Stderr), os.Stdout, serveOptions{
		now:        now,
		senderPoll: 20 * time.Millisecond,
		ready:      func(r running) { due.Store(&r.runDue) },
	})
	t.Fatalf("serve returned: %v", err)
}

// sharedClock is the round's clock in the test process: real time plus an
// offset, which the child process is kept in step with.
type sharedClock struct {
	mu     sync.Mutex
	offset time.Duration
	loc    *time.Location
}

// Now returns the clock's time.
func (c *sharedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset).In(c.loc)
}

// add moves the clock forward by d and returns the new offset.
func (c *sharedClock) add(d time.Duration) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += max(d, 0)
	return c.offset
}

// freePort returns a loopback address nobody listens on now.
func freePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// killRig runs "panel serve" as a child process on a fixed address and
// database, and kills and restarts it.
type killRig struct {
	t             testing.TB
	env           []string
	addr, control string // host:port of the service and of the child's control listener
	clock         *sharedClock
	logs          *os.File // the children's stderr, one after the other
	http          *http.Client

	mu      sync.Mutex // serialises clock moves and the child's restarts
	cmd     *exec.Cmd
	exited  chan struct{} // closed when cmd has ended
	killed  *atomic.Bool  // set before cmd is killed
	stdin   io.Closer     // the child's stdin, held open while it should run
	crashed atomic.Bool   // a child ended without being killed
	kills   []string      // what was interrupted, in order
}

// start launches the child with the clock's current offset and waits until
// it listens. r.mu must be held (or the rig not yet shared).
func (r *killRig) start() {
	r.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
	cmd.Env = append(append([]string(nil), r.env...), killOffsetEnv+"="+strconv.FormatInt(int64(r.clock.add(0)), 10))
	cmd.Stderr = r.logs
	out, err := cmd.StdoutPipe()
	if err != nil {
		r.t.Fatalf("stdout pipe: %v", err)
	}
	// The child exits when this pipe closes: when the test process ends,
	// even by a panic that skips the cleanups.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		r.t.Fatalf("stdin pipe: %v", err)
	}
	if err := cmd.Start(); err != nil {
		r.t.Fatalf("start the service process: %v", err)
	}
	listening := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		found := false
		for sc.Scan() {
			if !found && strings.HasPrefix(sc.Text(), "listening on ") {
				found = true
				listening <- true
			}
		}
		if !found {
			listening <- false
		}
	}()
	exited, killed := make(chan struct{}), new(atomic.Bool)
	r.cmd, r.exited, r.killed, r.stdin = cmd, exited, killed, stdin
	go func() {
		_ = cmd.Wait()
		if !killed.Load() {
			r.crashed.Store(true)
		}
		close(exited)
	}()
	select {
	case ok := <-listening:
		if !ok {
			r.t.Fatalf("the service process ended before listening; logs:\n%s", r.tail())
		}
	case <-time.After(time.Minute):
		r.t.Fatalf("the service process did not listen within a minute; logs:\n%s", r.tail())
	}
}

// kill SIGKILLs the child, moves the clock past the leases the dead
// process held (as if the restart took that long), and starts a new one
// on the same address and database.
func (r *killRig) kill(what string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.killed.Store(true)
	if err := r.cmd.Process.Kill(); err != nil {
		r.t.Errorf("kill: %v", err)
	}
	<-r.exited
	r.clock.add(killLease)
	r.kills = append(r.kills, what)
	r.start()
}

// stop kills the last child.
func (r *killRig) stop() {
	r.mu.Lock()
	r.killed.Store(true)
	_ = r.cmd.Process.Kill()
	exited := r.exited
	r.mu.Unlock()
	<-exited
}

// tail returns the end of the children's logs.
func (r *killRig) tail() string {
	raw, _ := os.ReadFile(r.logs.Name())
	return tail(string(raw), 30)
}

// controlCall posts to the child's control listener, trying again while
// the child restarts (for up to two minutes).
func (r *killRig) controlCall(ctx context.Context, path string) error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+r.control+path, nil)
		if err != nil {
			return err
		}
		resp, err := r.http.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			switch {
			case resp.StatusCode == http.StatusNoContent:
				return nil
			case resp.StatusCode != http.StatusServiceUnavailable:
				return fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, body)
			}
			err = fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, body)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// rigClock is the round's clock as internal/simulate sees it: moving it
// moves the child's clock too.
type rigClock struct{ r *killRig }

// Now implements simulate.Clock.
func (c rigClock) Now() time.Time { return c.r.clock.Now() }

// Advance implements simulate.Clock.
func (c rigClock) Advance(d time.Duration) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	offset := c.r.clock.add(d)
	if err := c.r.controlCall(context.Background(), "/clock?offset="+strconv.FormatInt(int64(offset), 10)); err != nil {
		c.r.t.Errorf("move the service's clock: %v", err)
	}
}

// twilioTransport is the fake Twilio's HTTP client transport in the kill
// test. It posts a webhook again (same request, same MessageSid) while the
// service cannot be reached, for up to window, as Twilio does with its
// webhook connection overrides (retry count and policy), and counts the
// inbound SMS posted and their distinct MessageSids.
type twilioTransport struct {
	base   http.RoundTripper
	window time.Duration

	inbound atomic.Int64 // inbound SMS posts, first attempts only
	retries atomic.Int64 // posts repeated because the service could not be reached
	mu      sync.Mutex
	sids    map[string]bool // distinct MessageSids of inbound SMS
}

// RoundTrip implements http.RoundTripper.
func (t *twilioTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/webhooks/twilio/sms") && req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			raw, _ := io.ReadAll(body)
			form, _ := url.ParseQuery(string(raw))
			t.inbound.Add(1)
			t.mu.Lock()
			t.sids[form.Get("MessageSid")] = true
			t.mu.Unlock()
		}
	}
	deadline := time.Now().Add(t.window)
	wait := 20 * time.Millisecond
	for {
		resp, err := t.base.RoundTrip(req)
		if err == nil || req.GetBody == nil || req.Context().Err() != nil || time.Now().After(deadline) {
			return resp, err
		}
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
		t.retries.Add(1)
		body, berr := req.GetBody()
		if berr != nil {
			return nil, errors.Join(err, berr)
		}
		req = req.Clone(req.Context())
		req.Body = body
	}
}

// killPlan is when to kill the service: at the threshold-th unit of
// progress of a stage (messages created at the fake Twilio, or inbound SMS
// posted, since the stage began).
type killPlan struct {
	stage     string
	threshold int
}

// pickThresholds returns k distinct sorted values in [lo, hi].
func pickThresholds(rng *rand.Rand, lo, hi, k int) []int {
	seen := map[int]bool{}
	var out []int
	for len(out) < k && len(seen) <= hi-lo {
		v := lo + rng.IntN(hi-lo+1)
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Ints(out)
	return out
}

// stageOrder is the order of the round's stages.
var stageOrder = map[string]int{"invite": 1, "replies": 2, "quotas": 3, "draw": 4, "notify": 5, "replace": 6, "reminders": 7}

// progressTracker follows the round's stages and their progress.
type progressTracker struct {
	fake    *faketwilio.Server
	twilio  *twilioTransport
	mu      sync.Mutex
	stage   string
	creates int64 // fake Twilio create requests when the stage began
	inbound int64 // inbound SMS when the stage began
}

// begin records the start of a stage.
func (p *progressTracker) begin(stage string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stage, p.creates, p.inbound = stage, int64(p.fake.Requests()), p.twilio.inbound.Load()
}

// progress returns the current stage and its progress: inbound SMS during
// replies, messages created at the fake Twilio otherwise.
func (p *progressTracker) progress() (string, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stage == "replies" {
		return p.stage, int(p.twilio.inbound.Load() - p.inbound)
	}
	return p.stage, int(int64(p.fake.Requests()) - p.creates)
}

// killer kills the service as the plan says, until done is closed.
func killer(rig *killRig, track *progressTracker, plan []killPlan, done <-chan struct{}) (missed []string) {
	for _, k := range plan {
		for {
			stage, n := track.progress()
			if stage == k.stage && n >= k.threshold {
				rig.kill(fmt.Sprintf("%s after %d", stage, n))
				break
			}
			if stageOrder[stage] > stageOrder[k.stage] {
				missed = append(missed, fmt.Sprintf("%s at %d (the stage ended first)", k.stage, k.threshold))
				break
			}
			select {
			case <-done:
				missed = append(missed, fmt.Sprintf("%s at %d (the round ended first)", k.stage, k.threshold))
				return missed
			case <-time.After(2 * time.Millisecond):
			}
		}
	}
	return missed
}

// textsOf is how many SMS a resident with behaviour b sends in the replies
// stage.
func textsOf(b simulate.Behaviour) int {
	switch b {
	case simulate.Volunteer, simulate.CannotAttend:
		return 3
	case simulate.UnclearThenYes:
		return 4
	case simulate.Abandons, simulate.Unclear, simulate.Declines, simulate.Stops:
		return 1
	}
	return 0
}

// killPlanFor spreads kills over the stages that send or receive SMS, at
// points drawn from seed: two while invitations are sent, two while
// residents answer, one while the draw's notifications go out and two
// while reminders go out.
func killPlanFor(seed string, people []simulate.Person, seats int) []killPlan {
	sum := sha256.Sum256([]byte("kill plan/" + seed))
	rng := rand.New(rand.NewPCG(binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])))
	texts, complete := 0, 0
	for _, p := range people {
		texts += textsOf(p.Behaviour)
		if p.Behaviour.Completes() {
			complete++
		}
	}
	n, reminders := len(people), 2*len(simulate.ReferenceMeetings)*seats
	var plan []killPlan
	add := func(stage string, lo, hi, k int) {
		for _, v := range pickThresholds(rng, max(lo, 1), hi, k) {
			plan = append(plan, killPlan{stage, v})
		}
	}
	add("invite", n/20, n*19/20, 2)
	add("replies", texts/20, texts*8/10, 2) // some residents are unreachable: stay below their texts
	add("notify", complete/10, complete*8/10, 1)
	add("reminders", reminders/20, reminders*9/10, 2)
	return plan
}

// TestRoundSurvivesKills plays a round of 1500 invitations and 20 seats
// against "panel serve" on PostgreSQL in a child process, SIGKILLs the
// child at seeded points while it sends invitations, takes replies, sends
// the draw's notifications and sends reminders, and restarts it each time
// on the same address and database. Counted at the fake Twilio, every
// reachable number gets one invitation, every volunteer one notification
// (a reserve who replaces a member a second one), every member of the
// final panel 8 reminders; every SMS a resident sent is stored once and
// handled; the published record verifies.
func TestRoundSurvivesKills(t *testing.T) {
	db := storetest.Postgres(t)
	db.SkipIfUnavailable(t)
	const (
		invitations = 1500
		seats       = 20
		reserves    = 6
		declines    = 2
	)
	// PANEL_KILL_SEED picks another round and other kill points.
	seed := cmp.Or(os.Getenv("PANEL_KILL_SEED"), "kill test")
	ctx := context.Background()
	oslo, err := time.LoadLocation(config.DefaultTimeZone)
	if err != nil {
		t.Fatalf("time zone: %v", err)
	}
	clock := &sharedClock{offset: time.Until(simulate.RoundStart(oslo)), loc: oslo}
	tw := &twilioTransport{base: http.DefaultTransport.(*http.Transport).Clone(), window: 2 * time.Minute, sids: map[string]bool{}}
	fake := faketwilio.New(faketwilio.Options{Clock: clock.Now, Seed: 8, HTTPClient: &http.Client{Transport: tw, Timeout: 3 * time.Minute}})
	twilioURL, err := fake.Start()
	if err != nil {
		t.Fatalf("fake Twilio: %v", err)
	}
	t.Cleanup(func() { fake.Close() })

	addr, control := freePort(t), freePort(t)
	base := "http://" + addr
	env := map[string]string{
		"PANEL_DATABASE_URL":  db.URL,
		"PANEL_ADDR":          addr,
		"PANEL_PUBLIC_URL":    base,
		"PANEL_SMS":           config.SMSTwilio,
		"PANEL_TIMEZONE":      config.DefaultTimeZone,
		"PANEL_LOG_LEVEL":     "warn",
		"TWILIO_ACCOUNT_SID":  fake.AccountSID(),
		"TWILIO_AUTH_TOKEN":   fake.AuthToken(),
		"TWILIO_FROM":         killServiceNum,
		"TWILIO_API_BASE_URL": twilioURL,
	}
	cfg, err := config.Load(getenv(env))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	token, err := simulationToken(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	childEnv := append(os.Environ(), killChildEnv+"=1", killControlEnv+"="+control)
	for k, v := range env {
		childEnv = append(childEnv, k+"="+v)
	}
	dir := t.TempDir()
	logs, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		t.Fatalf("log file: %v", err)
	}
	defer logs.Close()
	rig := &killRig{t: t, env: childEnv, addr: addr, control: control, clock: clock, logs: logs,
		http: &http.Client{Timeout: 2 * time.Minute}}
	rig.start()
	t.Cleanup(rig.stop)

	people := simulate.Population(invitations, seed)
	plan := killPlanFor(seed, people, seats)
	track := &progressTracker{fake: fake, twilio: tw}
	done := make(chan struct{})
	missedc := make(chan []string, 1)
	go func() { missedc <- killer(rig, track, plan, done) }()
	began := time.Now()
	report, err := simulate.Run(ctx, simulate.Config{
		BaseURL:       base,
		Token:         string(token),
		Twilio:        fake,
		ServiceNumber: killServiceNum,
		Clock:         rigClock{rig},
		RunDue:        func(ctx context.Context) error { return rig.controlCall(ctx, "/due") },
		Invitations:   invitations,
		Seats:         seats,
		Reserves:      reserves,
		Declines:      declines,
		Seed:          seed,
		Stage:         track.begin,
		Verify:        func(ctx context.Context, record []byte) (string, error) { return verifyRecord(ctx, dir, record) },
	})
	close(done)
	missed := <-missedc
	rig.mu.Lock()
	kills := append([]string(nil), rig.kills...)
	rig.mu.Unlock()
	t.Logf("round (seed %q) took %s with %d kills: %s; the fake Twilio posted %d webhooks again while the service was down",
		seed, time.Since(began).Round(time.Millisecond), len(kills), strings.Join(kills, "; "), tw.retries.Load())
	if len(missed) > 0 {
		t.Logf("kills not done: %s", strings.Join(missed, "; "))
	}
	if err != nil {
		t.Fatalf("the round: %v\nservice logs:\n%s", err, rig.tail())
	}
	if rig.crashed.Load() {
		t.Errorf("a service process ended without being killed; logs:\n%s", rig.tail())
	}
	if len(kills) < 5 {
		t.Errorf("killed the service %d times, want at least 5 (missed: %v)", len(kills), missed)
	}
	if !report.Consistent || report.Verification != "verified" {
		t.Errorf("report: consistent %v, verification %q, problems %v", report.Consistent, report.Verification, report.Problems)
	}
	checkOnceAtTwilio(t, fake, people, report, seats)
	checkRepliesStoredOnce(t, db.URL, tw)
}

// checkOnceAtTwilio counts what each number received at the fake Twilio.
func checkOnceAtTwilio(t *testing.T, fake *faketwilio.Server, people []simulate.Person, report *simulate.Report, seats int) {
	t.Helper()
	type counts struct {
		invitations, undelivered, reminders, notifications int
	}
	per := map[string]*counts{}
	for _, m := range fake.Messages() {
		c := per[m.To]
		if c == nil {
			c = &counts{}
			per[m.To] = c
		}
		switch {
		case strings.HasPrefix(m.Body, simulate.InvitationStart):
			c.invitations++
			if m.Status == "undelivered" || m.Status == "failed" {
				c.undelivered++
			}
		case strings.HasPrefix(m.Body, "Påminnelse"):
			c.reminders++
		default:
			c.notifications++
		}
	}
	var refused, undelivered, volunteers, twice, members int
	for _, p := range people {
		c := per[p.Phone]
		if c == nil {
			c = &counts{}
		}
		switch {
		case c.invitations == 0:
			refused++
		case c.invitations > 1:
			t.Errorf("row %d received %d invitations, want 1", p.Row, c.invitations)
		}
		undelivered += c.undelivered
		reached := c.invitations == 1 && c.undelivered == 0
		switch {
		case reached && p.Behaviour.Completes():
			volunteers++
			switch c.notifications {
			case 1:
			case 2:
				twice++ // a reserve who replaced a member
			default:
				t.Errorf("volunteer in row %d received %d notifications, want 1 (2 for a replacement)", p.Row, c.notifications)
			}
		case c.notifications > 0:
			t.Errorf("row %d (%s, not a volunteer) received %d notifications", p.Row, p.Behaviour, c.notifications)
		}
		switch c.reminders {
		case 0:
		case 2 * len(simulate.ReferenceMeetings):
			members++
		default:
			t.Errorf("row %d received %d reminders, want 0 or %d", p.Row, c.reminders, 2*len(simulate.ReferenceMeetings))
		}
	}
	if report.Invited != len(people) || report.Failed != refused+undelivered || report.Delivered != len(people)-refused-undelivered {
		t.Errorf("the service counts %d invited, %d delivered, %d failed; the fake Twilio refused %d and could not deliver %d of %d",
			report.Invited, report.Delivered, report.Failed, refused, undelivered, len(people))
	}
	if volunteers != report.Volunteers {
		t.Errorf("%d reached residents completed the dialogue; the pool has %d", volunteers, report.Volunteers)
	}
	if twice != len(report.Replacements) {
		t.Errorf("%d volunteers received a second notification; %d members were replaced", twice, len(report.Replacements))
	}
	if members != seats {
		t.Errorf("%d numbers received reminders, want the %d members of the panel", members, seats)
	}
	t.Logf("at the fake Twilio: %d invited (%d refused, %d undelivered), %d volunteers notified (%d twice), %d members with %d reminders each",
		len(people), refused, undelivered, volunteers, twice, members, 2*len(simulate.ReferenceMeetings))
}

// checkRepliesStoredOnce checks that every SMS the residents sent (distinct
// MessageSids, however often posted) is stored once and was dealt with.
func checkRepliesStoredOnce(t *testing.T, dbURL string, tw *twilioTransport) {
	t.Helper()
	sqlDB, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatalf("sql.Open: %v", err)
	}
	defer sqlDB.Close()
	var stored, distinct, pending int
	err = sqlDB.QueryRow(`SELECT count(*), count(DISTINCT provider_id), count(*) FILTER (WHERE state IN ('received', 'failed'))
		FROM inbound_messages`).Scan(&stored, &distinct, &pending)
	if err != nil {
		t.Fatalf("count stored replies: %v", err)
	}
	tw.mu.Lock()
	sent := len(tw.sids)
	tw.mu.Unlock()
	if stored != sent || distinct != sent || pending != 0 {
		t.Errorf("residents sent %d SMS (%d posts); stored %d (%d distinct), %d not handled", sent, tw.inbound.Load(), stored, distinct, pending)
	}
	t.Logf("replies: %d SMS in %d posts, each stored once", sent, tw.inbound.Load())
}
