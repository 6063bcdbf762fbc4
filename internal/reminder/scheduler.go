package reminder

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/citizenspanel/panel/internal/panel"
)

// Config holds the Scheduler's settings; zero fields take the defaults
// that WithDefaults documents.
type Config struct {
	// Location is PANEL_TIMEZONE: reminder rules and message dates use its
	// wall clock. Required.
	Location *time.Location
	// Spec is the cron schedule of the tick, in Location. Default
	// "* * * * *" (every minute).
	Spec string
	// Grace is how late a tick may find a reminder and still count it as
	// on time; keep it at least the tick interval. Default 5 minutes.
	Grace time.Duration
	// MinLead is how far ahead of its meeting a missed reminder must still
	// be to be sent late; nearer than that it is skipped. Default 2 hours.
	MinLead time.Duration
	// TickTimeout bounds one tick. Default 50 seconds.
	TickTimeout time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger receives one line per sent batch and per skip, never phone
	// numbers or texts. Default: discard.
	Logger *slog.Logger
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.Spec == "" {
		c.Spec = "* * * * *"
	}
	if c.Grace == 0 {
		c.Grace = 5 * time.Minute
	}
	if c.MinLead == 0 {
		c.MinLead = 2 * time.Hour
	}
	if c.TickTimeout == 0 {
		c.TickTimeout = 50 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Scheduler sends meeting reminders and change notices on a cron
// schedule. Every decision lives in the database, so any number of
// Schedulers (replicas) may tick at once: each reminder is sent once.
type Scheduler struct {
	store panel.ReminderStore
	cfg   Config
}

var _ panel.Worker = (*Scheduler)(nil)

// New returns a Scheduler working on store, which is required. It returns
// an error when store or cfg.Location is missing or cfg.Spec does not
// parse.
func New(store panel.ReminderStore, cfg Config) (*Scheduler, error) {
	cfg = cfg.WithDefaults()
	if store == nil {
		return nil, errors.New("reminder scheduler: missing store")
	}
	if cfg.Location == nil {
		return nil, errors.New("reminder scheduler: a time zone (PANEL_TIMEZONE) is required")
	}
	if cfg.Grace < 0 || cfg.MinLead < 0 || cfg.TickTimeout < 0 {
		return nil, errors.New("reminder scheduler: durations must not be negative")
	}
	if _, err := cron.ParseStandard(cfg.Spec); err != nil {
		return nil, fmt.Errorf("reminder scheduler: cron spec %q: %w", cfg.Spec, err)
	}
	return &Scheduler{store: store, cfg: cfg}, nil
}

// Run runs Tick on the cron schedule (robfig/cron, in Location) until ctx
// ends, then waits for a running tick, which works under ctx and so ends
// with it. Ticks do not overlap; each gets a context derived from ctx with
// the tick timeout.
func (s *Scheduler) Run(ctx context.Context) error {
	logger := cronLogger{s.cfg.Logger}
	c := cron.New(cron.WithLocation(s.cfg.Location), cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	_, err := c.AddFunc(s.cfg.Spec, func() {
		tctx, cancel := context.WithTimeout(ctx, s.cfg.TickTimeout)
		defer cancel()
		if _, err := s.Tick(tctx); err != nil && ctx.Err() == nil {
			s.cfg.Logger.ErrorContext(tctx, "reminder tick failed", slog.String("error", err.Error()))
		}
	})
	if err != nil {
		return fmt.Errorf("reminder scheduler: %w", err)
	}
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// TickResult counts what one tick did.
type TickResult struct {
	Sent    int // reminders enqueued
	Notices int // change and cancellation notices enqueued
	Skipped int // reminders recorded as skipped
}

// Tick sends what is due at the clock's now: for each meeting that has not
// started, the reminders Plan says to send (one SMS per member, recorded
// and enqueued in one transaction, dedup key
// "reminder/<member>/<meeting>/<kind>"), skipped ones recorded as skipped
// and logged, and for a changed or cancelled meeting one notice per
// member already reminded (kind "notice-<revision>"). Nothing is sent
// while the campaign's quiet hours last: reminders sent late and notices
// wait for their end. A meeting created after one of its reminder times
// gets that reminder at once, as a reminder sent late. One meeting's
// failure does not stop the others; the errors are joined.
func (s *Scheduler) Tick(ctx context.Context) (TickResult, error) {
	now := s.cfg.Now()
	var res TickResult
	meetings, err := s.store.UpcomingMeetings(ctx, now)
	if err != nil {
		return res, fmt.Errorf("reminder tick: %w", err)
	}
	settings := map[int64]*campaignSettings{}
	var errs []error
	for _, m := range meetings {
		cs, ok := settings[m.CampaignID]
		if !ok {
			cs, err = s.loadSettings(ctx, m.CampaignID)
			if err != nil {
				errs = append(errs, err)
				settings[m.CampaignID] = nil
				continue
			}
			settings[m.CampaignID] = cs
		}
		if cs == nil {
			continue
		}
		if err := s.meeting(ctx, m, cs, now, &res); err != nil {
			errs = append(errs, fmt.Errorf("meeting %d: %w", m.ID, err))
		}
	}
	if len(errs) > 0 {
		return res, fmt.Errorf("reminder tick: %w", errors.Join(errs...))
	}
	return res, nil
}

// campaignSettings are one campaign's settings, read once per tick.
type campaignSettings struct {
	panel.ReminderSettings
	texts map[string]Texts // by language: LangNorwegian and LangEnglish
}

// textsFor returns the texts for a member whose conversation is in lang.
func (cs *campaignSettings) textsFor(lang string) Texts {
	if lang == panel.LangEnglish {
		return cs.texts[panel.LangEnglish]
	}
	return cs.texts[panel.LangNorwegian]
}

// langOf is the language a member's texts are written in.
func langOf(pm panel.PanelMember) string {
	if pm.Language == panel.LangEnglish {
		return panel.LangEnglish
	}
	return panel.LangNorwegian
}

func (s *Scheduler) loadSettings(ctx context.Context, campaignID int64) (*campaignSettings, error) {
	rs, err := s.store.ReminderSettings(ctx, campaignID)
	if err != nil {
		return nil, fmt.Errorf("campaign %d settings: %w", campaignID, err)
	}
	texts := map[string]Texts{}
	for _, lang := range []string{panel.LangNorwegian, panel.LangEnglish} {
		t, err := ParseTextsIn(rs.Templates, lang)
		if err != nil {
			return nil, fmt.Errorf("campaign %d texts: %w", campaignID, err)
		}
		texts[lang] = t
	}
	return &campaignSettings{ReminderSettings: rs, texts: texts}, nil
}

// meeting does one tick's work for one meeting. Nothing is sent while
// quiet hours last: reminders are scheduled outside them, so only notices
// and reminders sent late wait for the quiet period to end.
func (s *Scheduler) meeting(ctx context.Context, m *panel.Meeting, cs *campaignSettings, now time.Time, res *TickResult) error {
	if cs.QuietHours.Contains(now.In(s.cfg.Location)) {
		return nil
	}
	if m.Revision > 0 {
		n, err := s.notify(ctx, m, cs, now)
		res.Notices += n
		if err != nil {
			return err
		}
	}
	dues := DueTimes(m, cs.Policy, cs.QuietHours, s.cfg.Location)
	for _, d := range Plan(dues, now, m.StartsAt, s.cfg.Grace, s.cfg.MinLead) {
		members, err := s.store.MembersToRemind(ctx, m.ID, d.Kind)
		if err != nil {
			return err
		}
		if len(members) == 0 {
			continue
		}
		body := map[string]string{} // by language
		if d.Send {
			for _, pm := range members {
				lang := langOf(pm)
				if _, done := body[lang]; done {
					continue
				}
				if body[lang], err = render(cs.textsFor(lang).Reminder, m, now, s.cfg.Location, lang); err != nil {
					return err
				}
			}
		}
		sent, skipped := 0, 0
		for _, pm := range members {
			r := &panel.Reminder{MemberID: pm.ID, MeetingID: m.ID, Kind: d.Kind, DueAt: d.At, State: panel.ReminderSkipped}
			var msg *panel.OutboundMessage
			if d.Send {
				r.State = panel.ReminderSent
				msg = s.message(m, pm, d.Kind, panel.KindReminder, body[langOf(pm)])
			}
			created, err := s.store.RecordReminder(ctx, r, msg)
			if err != nil {
				return err
			}
			switch {
			case !created:
			case r.State == panel.ReminderSent:
				sent++
			default:
				skipped++
			}
		}
		res.Sent += sent
		res.Skipped += skipped
		s.log(ctx, m, d, sent, skipped, now)
	}
	return nil
}

// notify sends the notice of m's current revision (a change or the
// cancellation) to the members already reminded, each in the language of
// their conversation.
func (s *Scheduler) notify(ctx context.Context, m *panel.Meeting, cs *campaignSettings, now time.Time) (int, error) {
	kind := panel.NoticeKind(m.Revision)
	members, err := s.store.MembersToNotify(ctx, m.ID, kind)
	if err != nil || len(members) == 0 {
		return 0, err
	}
	body := map[string]string{} // by language
	for _, pm := range members {
		lang := langOf(pm)
		if _, done := body[lang]; done {
			continue
		}
		tpl := cs.textsFor(lang).Changed
		if m.Cancelled() {
			tpl = cs.textsFor(lang).Cancelled
		}
		if body[lang], err = tpl.Render(ValuesIn(m, now, s.cfg.Location, lang)); err != nil {
			return 0, fmt.Errorf("render meeting %d notice: %w", m.ID, err)
		}
	}
	n := 0
	for _, pm := range members {
		r := &panel.Reminder{MemberID: pm.ID, MeetingID: m.ID, Kind: kind, DueAt: m.UpdatedAt, State: panel.ReminderSent}
		created, err := s.store.RecordReminder(ctx, r, s.message(m, pm, kind, panel.KindNotice, body[langOf(pm)]))
		if err != nil {
			return n, err
		}
		if created && r.State == panel.ReminderSent {
			n++
		}
	}
	if n > 0 {
		s.cfg.Logger.InfoContext(ctx, "meeting notices enqueued", slog.Int64("meeting_id", m.ID),
			slog.Int("revision", m.Revision), slog.Bool("cancelled", m.Cancelled()), slog.Int("count", n))
	}
	return n, nil
}

// message builds the outbox message of one reminder or notice.
func (s *Scheduler) message(m *panel.Meeting, pm panel.PanelMember, kind, msgKind, body string) *panel.OutboundMessage {
	return &panel.OutboundMessage{
		CampaignID:  m.CampaignID,
		RecipientID: pm.RecipientID,
		Kind:        msgKind,
		Body:        body,
		DedupKey:    DedupKey(pm.ID, m.ID, kind),
	}
}

// DedupKey is the outbox key of a member's reminder or notice of kind for
// a meeting: "reminder/<member>/<meeting>/<kind>".
func DedupKey(memberID, meetingID int64, kind string) string {
	return fmt.Sprintf("reminder/%d/%d/%s", memberID, meetingID, kind)
}

// log writes one line for what a tick did with one due reminder.
func (s *Scheduler) log(ctx context.Context, m *panel.Meeting, d Decision, sent, skipped int, now time.Time) {
	attrs := []slog.Attr{
		slog.Int64("meeting_id", m.ID), slog.String("kind", d.Kind),
		slog.Time("due_at", d.At), slog.Duration("late_by", now.Sub(d.At)),
	}
	if sent > 0 {
		s.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "meeting reminders enqueued", append(attrs, slog.Int("count", sent))...)
	}
	if skipped > 0 {
		reason := d.SkipReason
		if reason == "" {
			reason = "opted_out" // the outbox refused the message
		}
		s.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "meeting reminders skipped",
			append(attrs, slog.Int("count", skipped), slog.String("reason", reason))...)
	}
}

// cronLogger sends cron's own messages to slog.
type cronLogger struct{ l *slog.Logger }

// Info implements cron.Logger; cron's routine messages are debug level.
func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

// Error implements cron.Logger.
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "error", err.Error())...)
}
