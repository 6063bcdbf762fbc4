package inbox_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/inbox"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// t0 is the fixed time of the tests: birth years map to ages in 2026.
var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// env is a campaign whose recipients have been invited, and the service.
type env struct {
	t        testing.TB
	ctx      context.Context
	s        *store.Store
	svc      *inbox.Service
	campaign *panel.Campaign
	seq      *atomic.Int64
	ids      map[panel.Phone]int64 // recipient ids by phone
}

// newService returns an inbox service on s with the real reminder
// scheduler and draw service for members' replies.
func newService(t testing.TB, s *store.Store, now func() time.Time) *inbox.Service {
	t.Helper()
	return newServiceWith(t, s, inbox.Config{Now: now})
}

// newServiceWith is newService with the inbox's config cfg.
func newServiceWith(t testing.TB, s *store.Store, cfg inbox.Config) *inbox.Service {
	t.Helper()
	now := cfg.Now
	sched, err := reminder.New(s, reminder.Config{Location: time.UTC, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	draws, err := draw.New(s, draw.Config{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := inbox.New(s, sched, draws, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// phone returns the test number i.
func phone(i int) panel.Phone { return panel.Phone(fmt.Sprintf("+479%07d", i)) }

// setup imports n recipients (numbers phone(1..n); register columns
// birth_year, gender and district) and marks their invitations sent
// through the outbox, as the sender does.
func setup(t testing.TB, s *store.Store, n int) *env {
	t.Helper()
	genders := []string{"kvinne", "mann"}
	districts := []string{"Midtbyen", "Østbyen", "Lerkendal", "Heimdal"}
	return setupWith(t, s, n, func(i int) map[string]string {
		return map[string]string{"birth_year": fmt.Sprint(1950 + i%50), "gender": genders[i%2], "district": districts[i%4]}
	})
}

// setupWith is setup with the register columns of recipient i+1 given by
// attrs(i).
func setupWith(t testing.TB, s *store.Store, n int, attrs func(i int) map[string]string) *env {
	t.Helper()
	ctx := context.Background()
	c := panel.NewCampaign()
	c.Name = "Trondheim 2026"
	c.InvitationText = "Hei! Vil du være med i innbyggerpanelet? Svar JA eller NEI."
	if err := s.CreateCampaign(ctx, c); err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	rows := make([]panel.RecipientInput, n)
	for i := range rows {
		rows[i] = panel.RecipientInput{Row: i + 2, Phone: phone(i + 1), Attributes: attrs(i)}
	}
	if _, err := s.ImportRecipients(ctx, c.ID, rows); err != nil {
		t.Fatalf("ImportRecipients: %v", err)
	}
	e := &env{t: t, ctx: ctx, s: s, campaign: c, seq: &atomic.Int64{}, ids: map[panel.Phone]int64{}}
	e.svc = newService(t, s, func() time.Time { return t0 })
	var msgs []*panel.OutboundMessage
	for id := int64(1); id <= int64(n); id++ {
		msgs = append(msgs, &panel.OutboundMessage{CampaignID: c.ID, RecipientID: id, Kind: panel.KindInvitation,
			Body: c.InvitationText, DedupKey: fmt.Sprintf("invitation/%d/%d", c.ID, id)})
	}
	if _, err := s.Enqueue(ctx, msgs); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	claimed, err := s.Claim(ctx, "test", time.Now().Add(time.Hour), n, time.Minute)
	if err != nil || len(claimed) != n {
		t.Fatalf("Claim: got %d, %v, want %d", len(claimed), err, n)
	}
	results := make([]panel.SentResult, n)
	for i, m := range claimed {
		results[i] = panel.SentResult{ID: m.ID, ProviderID: fmt.Sprintf("SMinv%d", m.ID), Status: "queued"}
		e.ids[m.To] = m.RecipientID
	}
	if lost, err := s.MarkSentBatch(ctx, "test", results); err != nil || len(lost) != 0 {
		t.Fatalf("MarkSentBatch: lost %v, %v", lost, err)
	}
	return e
}

// send delivers a message from from with a fresh provider id and returns
// the reply.
func (e *env) send(from panel.Phone, body string) string {
	e.t.Helper()
	return e.sendSMS(panel.InboundSMS{ProviderID: fmt.Sprintf("SMin%06d", e.seq.Add(1)), From: from, To: "+4759440000", Body: body})
}

func (e *env) sendSMS(in panel.InboundSMS) string {
	e.t.Helper()
	got, err := e.svc.Handle(e.ctx, in)
	if err != nil {
		e.t.Fatalf("Handle(%q): %v", in.Body, err)
	}
	return got
}

// recipient returns the recipient with number p.
func (e *env) recipient(p panel.Phone) *panel.Recipient {
	e.t.Helper()
	r, err := e.s.FindRecipient(e.ctx, e.ids[p])
	if err != nil {
		e.t.Fatalf("FindRecipient: %v", err)
	}
	return r
}

// volunteer returns the volunteer with number p, or nil.
func (e *env) volunteer(p panel.Phone) *panel.Volunteer {
	e.t.Helper()
	v, err := e.s.FindVolunteerByRecipient(e.ctx, e.ids[p])
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		return nil
	} else if err != nil {
		e.t.Fatalf("FindVolunteerByRecipient: %v", err)
	}
	return v
}

// inbox returns the campaign's open inbox.
func (e *env) inbox() []*panel.InboundMessage {
	e.t.Helper()
	msgs, _, err := e.svc.Inbox(e.ctx, e.campaign.ID, panel.InboxFilter{State: panel.InboxOpen})
	if err != nil {
		e.t.Fatalf("Inbox: %v", err)
	}
	return msgs
}

// TestNewRequiresDependencies: every dependency is required, and a missing
// one is an error naming it, so members' absences are never silently lost.
func TestNewRequiresDependencies(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, storetest.SQLite(t))
	sched, err := reminder.New(s, reminder.Config{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	draws, err := draw.New(s, draw.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		store        inbox.Store
		absences     panel.Absences
		replacements panel.Replacements
		wantErr      string
	}{
		{"complete", s, sched, draws, ""},
		{"no absences", s, nil, draws, "inbox: missing absences"},
		{"no replacements", s, sched, nil, "inbox: missing replacements"},
		{"nothing", nil, nil, nil, "inbox: missing store, absences, replacements"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := inbox.New(tt.store, tt.absences, tt.replacements, inbox.Config{})
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr) {
				t.Errorf("got %v, want error %q", err, tt.wantErr)
			}
		})
	}
}
