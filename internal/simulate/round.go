package simulate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
)

// Clock is the service's clock as the simulation sees it: it runs with
// real time and can be moved forward, so reminders weeks ahead are
// reached in seconds.
type Clock interface {
	Now() time.Time
	Advance(d time.Duration)
}

// Config is one simulated round. BaseURL, Token, Twilio, ServiceNumber,
// Clock and RunDue are required.
type Config struct {
	// BaseURL is the service's public URL, e.g. "http://127.0.0.1:40123";
	// residents' SMS reach BaseURL + "/webhooks/twilio/sms".
	BaseURL string
	// Token is an organiser's API token.
	Token string
	// Twilio is the fake Twilio server the service sends through. Its
	// counts are the round's ground truth: what each number received.
	Twilio *faketwilio.Server
	// ServiceNumber is the number residents text (TWILIO_FROM).
	ServiceNumber string
	// Clock is the service's clock.
	Clock Clock
	// RunDue runs the service's scheduled jobs (reminders, confirmation
	// deadlines) now, as the cron ticks would at the clock's time.
	RunDue func(ctx context.Context) error

	// Invitations is the size of the sample. Default 4000.
	Invitations int
	// Seats and Reserves of the panel. Defaults 50 and 10.
	Seats, Reserves int
	// Seed drives the population, the answers and the draw. Default
	// "panel simulate".
	Seed string
	// Declines is how many selected members decline their seat (and are
	// replaced). Default 3.
	Declines int
	// SendRate is the campaign's messages per second. Default 100, the most a
	// campaign allows, so that the round takes seconds, not minutes.
	SendRate float64
	// Concurrency is how many residents text at once. Default 8.
	Concurrency int
	// Progress, when set, gets one line per stage as the round runs: what
	// the stage did, in counts, and how long it took.
	Progress io.Writer
	// Count, when set, is told how far the running stage is: done of
	// total (invitations delivered or failed, residents who have answered,
	// ...), every few hundred milliseconds at most and at the end. A
	// terminal can show it as a progress bar with the time left.
	Count func(stage string, done, total int)
	// HTTPClient calls the service. Default: a client with a 60 s timeout.
	HTTPClient *http.Client
	// Verify checks a published draw record (the JSON as downloaded) the
	// way `panel verify` does and returns its verdict, e.g. "verified".
	Verify func(ctx context.Context, record []byte) (string, error)
	// Outage is how long the round keeps trying while the service cannot
	// be reached (no answer, or 502/503/504), e.g. while it restarts after
	// a crash. Reads, PUTs and idempotent POSTs are repeated; a call that
	// creates something is repeated only after checking that the attempt
	// without an answer created nothing; a resident's SMS is posted again
	// with the same MessageSid, as Twilio retries. Default 2 minutes.
	Outage time.Duration
	// Stage, when set, is called as each stage begins, with its name
	// ("invite", "replies", "quotas", "draw", "notify", "replace",
	// "reminders").
	Stage func(name string)
}

// WithDefaults returns c with every zero option set to its default.
func (c Config) WithDefaults() Config {
	if c.Invitations == 0 {
		c.Invitations = 4000
	}
	if c.Seats == 0 {
		c.Seats = 50
	}
	if c.Reserves == 0 {
		c.Reserves = 10
	}
	if c.Seed == "" {
		c.Seed = "panel simulate"
	}
	if c.Declines == 0 {
		c.Declines = 3
	}
	if c.SendRate == 0 {
		c.SendRate = 100
	}
	if c.Concurrency == 0 {
		c.Concurrency = 8
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 60 * time.Second}
	}
	if c.Outage == 0 {
		c.Outage = 2 * time.Minute
	}
	return c
}

// round is the state of one run.
type round struct {
	cfg      Config
	api      *client
	people   []Person
	byPhone  map[string]*Person
	report   *Report
	campaign int64
	draw     int64
	record   []byte
	// stage is the name of the running stage.
	stage string
	// notMobile is how many numbers the fake Twilio refuses as not mobile.
	notMobile int
	// values are the pool's category values by pseudonym (from the
	// published record), in the population's spelling.
	values map[string]map[string]string
}

// Run plays the round and returns its report. An error means the round
// could not be completed; the report then holds what was done so far.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg = cfg.WithDefaults()
	if cfg.BaseURL == "" || cfg.Token == "" || cfg.Twilio == nil || cfg.ServiceNumber == "" || cfg.Clock == nil || cfg.RunDue == nil || cfg.Verify == nil {
		return nil, errors.New("simulate: BaseURL, Token, Twilio, ServiceNumber, Clock, RunDue and Verify are required")
	}
	r := &round{
		cfg:    cfg,
		api:    &client{base: strings.TrimRight(cfg.BaseURL, "/"), token: cfg.Token, http: cfg.HTTPClient, outage: cfg.Outage},
		people: Population(cfg.Invitations, cfg.Seed),
		report: newReport(cfg),
	}
	r.byPhone = make(map[string]*Person, len(r.people))
	for i := range r.people {
		r.byPhone[r.people[i].Phone] = &r.people[i]
	}
	stages := []struct {
		name string
		run  func(context.Context) error
	}{
		{"invite", r.invite},
		{"replies", r.replies},
		{"quotas", r.quotas},
		{"draw", r.drawPanel},
		{"notify", r.notify},
		{"replace", r.replace},
		{"reminders", r.reminders},
	}
	total := time.Now()
	for i, st := range stages {
		if cfg.Stage != nil {
			cfg.Stage(st.name)
		}
		r.stage = st.name
		t0 := time.Now()
		err := st.run(ctx)
		secs := time.Since(t0).Seconds()
		r.report.Seconds[st.name] = roundTo(secs, 3)
		if err != nil {
			fmt.Fprintf(cfg.Progress, "[%d/%d] %-9s failed after %.1f s\n", i+1, len(stages), st.name, secs)
			return r.report, fmt.Errorf("simulate: %s: %w", st.name, err)
		}
		fmt.Fprintf(cfg.Progress, "[%d/%d] %-9s %s (%.1f s)\n", i+1, len(stages), st.name, r.summary(st.name), secs)
	}
	r.report.Seconds["total"] = roundTo(time.Since(total).Seconds(), 3)
	r.account()
	return r.report, nil
}

// summary says in counts what a finished stage did.
func (r *round) summary(stage string) string {
	rep := r.report
	switch stage {
	case "invite":
		return fmt.Sprintf("%d invited: %d delivered, %d failed", rep.Invited, rep.Delivered, rep.Failed)
	case "replies":
		return fmt.Sprintf("%d said yes, %d no, %d STOP, %d unclear, %d no answer", rep.SaidYes, rep.Declined, rep.OptedOut, rep.Unclear, rep.Silent-rep.Failed)
	case "quotas":
		lowered := "none lowered"
		if n := len(rep.QuotasLowered); n > 0 {
			lowered = fmt.Sprintf("%d minimums lowered to what the pool holds", n)
		}
		return fmt.Sprintf("%d volunteers in the pool; quotas set for %d categories, %s", rep.Volunteers, len(rep.Pool), lowered)
	case "draw":
		return fmt.Sprintf("%d selected and %d reserves from %d volunteers", len(rep.Selected), len(rep.Reserves), rep.Volunteers)
	case "notify":
		return fmt.Sprintf("%d volunteers told the result", rep.Volunteers)
	case "replace":
		return fmt.Sprintf("%d declined, each replaced by a reserve", len(rep.Replacements))
	case "reminders":
		n := 0
		for _, v := range rep.Reminders {
			n += v
		}
		return fmt.Sprintf("%d meetings, %d reminder SMS", len(rep.Reminders), n)
	}
	return "done"
}

// counter reports a stage's progress to cfg.Count, at most every 200 ms
// and always at the end (done == total).
type counter struct {
	mu    sync.Mutex
	fn    func(stage string, done, total int)
	stage string
	last  time.Time
}

func (r *round) newCounter() *counter { return &counter{fn: r.cfg.Count, stage: r.stage} }

func (c *counter) report(done, total int) {
	if c.fn == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if done < total && time.Since(c.last) < 200*time.Millisecond {
		return
	}
	c.last = time.Now()
	c.fn(c.stage, done, total)
}

// each runs fn for every person in people, cfg.Concurrency at a time, and
// returns the first error.
func (r *round) each(ctx context.Context, people []*Person, fn func(context.Context, *Person) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	progress := r.newCounter()
	var done atomic.Int64
	work := make(chan *Person)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for range r.cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				if err := fn(ctx, p); err != nil {
					once.Do(func() { first = err; cancel() })
				}
				progress.report(int(done.Add(1)), len(people))
			}
		}()
	}
	for _, p := range people {
		select {
		case work <- p:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return first
}

// waitFor polls cond until it holds, fails, or timeout passes.
func waitFor(ctx context.Context, timeout time.Duration, what string, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s waiting for %s", timeout, what)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// text sends body from p to the service as an SMS through the fake Twilio
// (signed like Twilio's webhooks) and returns the service's answer text.
// Each SMS has its own MessageSid, derived from the seed, the number and
// the SMS's place in the person's conversation; while the service cannot
// be reached the same SMS is posted again, as Twilio retries a webhook,
// and the service handles it once.
func (r *round) text(ctx context.Context, p *Person, body string) (string, error) {
	p.texts++
	sum := sha256.Sum256([]byte(fmt.Sprintf("panel simulate/sms/%s/%s/%d", r.cfg.Seed, p.Phone, p.texts)))
	sid := "SM" + hex.EncodeToString(sum[:16])
	extra := url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "SmsMessageSid": {sid}}
	var answer string
	err := r.api.retry(ctx, func() error {
		status, got, err := r.cfg.Twilio.SendInbound(ctx, r.api.base+"/webhooks/twilio/sms", p.Phone, r.cfg.ServiceNumber, body, extra)
		switch {
		case err != nil && ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			return &unreachableError{fmt.Errorf("sms from row %d: %w", p.Row, err)}
		case status != http.StatusOK:
			return &apiError{Method: "POST", Path: "/webhooks/twilio/sms (row " + strconv.Itoa(p.Row) + ")", Status: status, Body: got}
		}
		answer = got
		return nil
	})
	if err != nil {
		return "", err
	}
	return twimlText(answer), nil
}

// twimlText returns the text of the <Message> elements of a TwiML answer.
func twimlText(twiml string) string {
	var out []string
	for {
		i := strings.Index(twiml, "<Message")
		if i < 0 {
			break
		}
		twiml = twiml[i:]
		j := strings.Index(twiml, ">")
		k := strings.Index(twiml, "</Message>")
		if j < 0 || k < j {
			break
		}
		out = append(out, xmlUnescape(twiml[j+1:k]))
		twiml = twiml[k+len("</Message>"):]
	}
	return strings.Join(out, "\n")
}

func xmlUnescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&apos;", "'", "&amp;", "&").Replace(s)
}

// pickRows returns k distinct indexes of n chosen by the seed for purpose,
// in ascending order.
func pickRows(seed, purpose string, n, k int) []int {
	rng := newRand(seed, purpose)
	idx := rng.Perm(n)[:min(k, n)]
	sort.Ints(idx)
	return idx
}

// phrasing returns one of the ways of saying something, chosen per person.
func phrasing(seed string, p *Person, what string, options ...string) string {
	return options[newRand(seed, fmt.Sprintf("%s/%d", what, p.Row)).IntN(len(options))]
}

func roundTo(x float64, digits int) float64 {
	f := 1.0
	for range digits {
		f *= 10
	}
	return float64(int64(x*f+0.5)) / f
}

// account counts what the fake Twilio received and checks that the
// report's numbers add up, listing every inconsistency in Problems.
func (r *round) account() {
	inv := map[string]int{}
	total, reminders, other := 0, 0, 0
	told := map[string]int{}
	for _, m := range r.cfg.Twilio.Messages() {
		total++
		switch {
		case strings.HasPrefix(m.Body, InvitationStart):
			inv[m.To]++
		case strings.HasPrefix(m.Body, "Påminnelse"):
			reminders++
		case strings.Contains(m.Body, "innbyggerpanel") || strings.Contains(m.Body, "panelet"):
			told[classify(m.Body)]++
		default:
			other++
		}
	}
	r.report.Messages["reminders"] = reminders
	r.report.Messages["told_selected"] = told[toldSelected]
	r.report.Messages["told_reserve"] = told[toldReserve]
	r.report.Messages["told_not_selected"] = told[toldNotSelected]
	r.report.Messages["notifications"] = told[toldSelected] + told[toldReserve] + told[toldNotSelected]
	r.report.Messages["other"] = other
	most := 0
	for _, n := range inv {
		most = max(most, n)
	}
	r.report.Messages["total"] = total
	r.report.Messages["invitations"] = len(inv)
	r.report.Messages["most_invitations_to_one_number"] = most
	rep := r.report
	check := func(ok bool, format string, args ...any) {
		if !ok {
			rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...))
		}
	}
	unreachable := 0
	for _, p := range r.people {
		if p.unreachable {
			unreachable++
		}
	}
	rep.Sent = len(inv)
	rep.RefusedAtSend = rep.Invited - rep.Sent
	rep.Undelivered = rep.Sent - rep.Delivered
	rep.Members = len(rep.Selected)
	rep.RemindersPerMember = len(reminderDueTimes)
	check(rep.Invited == len(r.people), "invited %d of %d residents", rep.Invited, len(r.people))
	check(rep.Delivered+rep.Failed == rep.Invited, "delivered %d + failed %d != invited %d", rep.Delivered, rep.Failed, rep.Invited)
	check(rep.RefusedAtSend+rep.Undelivered == rep.Failed, "refused at send %d + undelivered %d != failed %d", rep.RefusedAtSend, rep.Undelivered, rep.Failed)
	check(rep.RefusedAtSend == r.notMobile, "refused at send %d, but %d numbers were made not mobile", rep.RefusedAtSend, r.notMobile)
	noAnswer := rep.Silent - rep.Failed
	check(rep.SaidYes+rep.Declined+rep.OptedOut+rep.Unclear+noAnswer == rep.Delivered,
		"answers %d yes + %d no + %d stop + %d unclear + %d silent != %d delivered", rep.SaidYes, rep.Declined, rep.OptedOut, rep.Unclear, noAnswer, rep.Delivered)
	check(rep.Messages["total"] == len(inv)+rep.Messages["notifications"]+reminders+other,
		"Twilio received %d SMS, not %d invitations + %d notifications + %d reminders + %d other", rep.Messages["total"], len(inv), rep.Messages["notifications"], reminders, other)
	check(other == 0, "Twilio received %d SMS the round does not expect", other)
	check(rep.Messages["notifications"] == rep.Volunteers+len(rep.Replacements),
		"%d draw notifications, want one per volunteer (%d) and one per reserve stepping in (%d)", rep.Messages["notifications"], rep.Volunteers, len(rep.Replacements))
	check(rep.Failed == unreachable, "failed %d, but %d numbers were made to fail", rep.Failed, unreachable)
	check(most <= 1, "a number received %d invitations", most)
	check(rep.Verification == "verified", "the published record: %s", rep.Verification)
	check(len(rep.Selected) == r.cfg.Seats, "selected %d, want %d", len(rep.Selected), r.cfg.Seats)
	check(len(rep.Replacements) == r.cfg.Declines, "replacements %d, want %d", len(rep.Replacements), r.cfg.Declines)
	sent := 0
	for _, n := range rep.Reminders {
		sent += n
	}
	want := len(reminderDueTimes) * len(ReferenceMeetings) * r.cfg.Seats
	check(sent == want && reminders == want, "reminders: the service reports %d sent and the fake Twilio received %d; want %d (%d per member per meeting)", sent, reminders, want, len(reminderDueTimes))
	rep.Consistent = len(rep.Problems) == 0
}
