package simulate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
)

// InvitationText is the invitation the simulated organiser sends. It is
// GSM-7 (æøå are) and fits two segments.
const InvitationText = InvitationStart + " til innbyggerpanelet i Trondheim: fire møter i vinter. " +
	"Vil du være med? Svar {keyword} eller NEI innen {deadline}. Svar STOPP for ingen flere meldinger."

// InvitationStart is how every invitation begins.
const InvitationStart = "Hei! Du er trukket ut"

// When no invitation's state has changed for stallAfter while none is
// queued, the round moves the clock on by statusPollAge: lost delivery
// callbacks are then reconciled by the service's status poller.
const (
	stallAfter    = 5 * time.Second
	statusPollAge = 11 * time.Minute
)

// replyWithin is how long residents have to answer: the campaign's reply_by
// is this many days after the round starts.
const replyWithin = 14

// Delivery faults the round injects at the fake Twilio, chosen by the seed
// so that the same numbers fail in every run: numbers that are not mobile
// (refused at once, 21614) and handsets that never receive (undelivered).
const (
	shareNotMobile   = 0.005
	shareUndelivered = 0.02
)

// stats is the campaign's stats call (GET .../stats).
type stats struct {
	Recipients int `json:"recipients"`
	Queued     int `json:"queued"`
	Sent       int `json:"sent"`
	Delivered  int `json:"delivered"`
	Failed     int `json:"failed"`
	Volunteers int `json:"volunteers"`
	Declined   int `json:"declined"`
	OptedOut   int `json:"opted_out"`
	// Messages counts every outbound SMS of the campaign per state.
	Messages struct {
		Queued  int `json:"queued"`
		Sending int `json:"sending"`
	} `json:"messages"`
}

func (r *round) stats(ctx context.Context) (stats, error) {
	var s stats
	err := r.api.call(ctx, "GET", fmt.Sprintf("/api/v1/campaigns/%d/stats", r.campaign), nil, "", &s)
	return s, err
}

// invite creates the campaign, imports the sample, sends the invitations
// and waits until every one is delivered or has failed.
func (r *round) invite(ctx context.Context) error {
	n := len(r.people)
	for _, i := range pickRows(r.cfg.Seed, "not mobile", n, int(float64(n)*shareNotMobile)) {
		r.cfg.Twilio.SetNumberError(r.people[i].Phone, 21614)
		r.people[i].unreachable = true
		r.notMobile++
	}
	for _, i := range pickRows(r.cfg.Seed, "undelivered", n, int(float64(n)*shareUndelivered)) {
		r.cfg.Twilio.SetOutcome(r.people[i].Phone, faketwilio.Undelivered30003)
		r.people[i].unreachable = true
	}

	var created struct {
		ID int64 `json:"id"`
	}
	name := "Innbyggerpanelet Trondheim (simulated, seed " + r.cfg.Seed + ")"
	err := r.api.create(ctx, "POST", "/api/v1/campaigns", map[string]any{
		"name":            name,
		"invitation_text": InvitationText,
		"send_rate":       r.cfg.SendRate,
		"quiet_hours":     "20:00-08:00",
		"reply_by":        r.cfg.Clock.Now().AddDate(0, 0, replyWithin).Format(time.DateOnly),
	}, "", &created, func() (bool, error) {
		id, err := r.findCampaign(ctx, name)
		created.ID = id
		return id != 0, err
	})
	if err != nil {
		return err
	}
	r.campaign = created.ID

	var csv strings.Builder
	csv.WriteString("phone,gender,age,district\n")
	for _, p := range r.people {
		fmt.Fprintf(&csv, "%s,%s,%d,%s\n", p.Phone, p.Gender, p.Age, p.District)
	}
	var imported struct {
		Imported int `json:"imported"`
	}
	// The import is one transaction: after an attempt without an answer
	// the campaign holds every resident or none.
	err = r.api.create(ctx, "POST", fmt.Sprintf("/api/v1/campaigns/%d/recipients", r.campaign), csv.String(), "text/csv", &imported, func() (bool, error) {
		s, err := r.stats(ctx)
		imported.Imported = s.Recipients
		return s.Recipients > 0, err
	})
	if err != nil {
		return err
	}
	if imported.Imported != n {
		return fmt.Errorf("imported %d of %d residents", imported.Imported, n)
	}
	// Send is idempotent: one invitation per recipient however often it
	// is called.
	if err := r.api.call(ctx, "POST", fmt.Sprintf("/api/v1/campaigns/%d/send", r.campaign), nil, "", nil); err != nil {
		return err
	}
	var (
		s        stats
		progress int
		since    = time.Now()
		count    = r.newCounter()
	)
	err = waitFor(ctx, 10*time.Minute, "every invitation delivered or failed", func() (bool, error) {
		var err error
		if s, err = r.stats(ctx); err != nil {
			return false, err
		}
		done := s.Delivered + s.Failed
		count.report(min(done, n), n)
		if done >= n {
			return true, nil
		}
		// Everything handed to Twilio, but some delivery callbacks never
		// arrived (a busy machine can time them out): let time pass, as it
		// would, so that the service asks Twilio for those statuses.
		if done != progress {
			progress, since = done, time.Now()
		} else if s.Queued == 0 && time.Since(since) > stallAfter {
			r.cfg.Clock.Advance(statusPollAge)
			since = time.Now()
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("%w (stats %+v)", err, s)
	}
	r.report.Invited, r.report.Delivered, r.report.Failed = s.Recipients, s.Delivered, s.Failed
	return nil
}

// findCampaign returns the id of the campaign called name, or 0.
func (r *round) findCampaign(ctx context.Context, name string) (int64, error) {
	for offset := 0; ; {
		var list struct {
			Campaigns []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"campaigns"`
			Total int `json:"total"`
		}
		if err := r.api.do(ctx, "GET", fmt.Sprintf("/api/v1/campaigns?limit=1000&offset=%d", offset), nil, "", &list); err != nil {
			return 0, err
		}
		for _, c := range list.Campaigns {
			if c.Name == name {
				return c.ID, nil
			}
		}
		offset += len(list.Campaigns)
		if len(list.Campaigns) == 0 || offset >= list.Total {
			return 0, nil
		}
	}
}
