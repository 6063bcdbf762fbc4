package inbox_test

import (
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/sortition"
)

// TestEnglishConversationsGetEnglishTexts: residents who answered in
// English get the draw notice and the meeting reminders in English, the
// others in Norwegian; "J A" is a Norwegian yes.
func TestEnglishConversationsGetEnglishTexts(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := setup(t, s, 4)
		english := map[panel.Phone]bool{phone(1): true, phone(2): true}
		for i := 1; i <= 4; i++ {
			yes := "J A"
			if english[phone(i)] {
				yes = "Yes please"
			}
			if got := e.send(phone(i), yes); !strings.Contains(got, map[bool]string{true: "What is your highest", false: nbEducation}[english[phone(i)]]) {
				t.Fatalf("%q: got %q, want the first question in the person's language", yes, got)
			}
			e.send(phone(i), "4")
			e.send(phone(i), map[bool]string{true: "yes", false: "ja"}[english[phone(i)]])
		}
		ds := newDrawService(t, s)
		qs := []panel.Quota{{Category: "gender", Value: "kvinne", Min: 0, Max: 4}, {Category: "gender", Value: "mann", Min: 0, Max: 4}}
		if _, err := ds.SetQuotas(e.ctx, e.campaign.ID, qs, 4); err != nil {
			t.Fatalf("SetQuotas: %v", err)
		}
		d, err := ds.CreateDraw(e.ctx, e.campaign.ID, draw.Request{Seats: 4, Algorithm: sortition.AlgorithmLegacy})
		if err != nil {
			t.Fatalf("CreateDraw: %v", err)
		}
		waitCommitted(t, ds, d.ID)
		if _, err := ds.Seed(e.ctx, d.ID, "1"); err != nil {
			t.Fatalf("Seed: %v", err)
		}
		if _, err := ds.Notify(e.ctx, d.ID); err != nil {
			t.Fatalf("Notify: %v", err)
		}
		e.expectBodies(t, english, "You have been drawn for the citizens' panel! Reply YES or CONFIRM by Saturday 28 November at 12:00",
			"Du er trukket ut til innbyggerpanelet! Svar JA eller BEKREFT innen lørdag 28. november kl. 12:00")

		for i := 1; i <= 4; i++ {
			e.send(phone(i), map[bool]string{true: "confirm", false: "bekrefter"}[english[phone(i)]])
		}
		e.expectBodies(t, nil, "", "") // the confirmations' answers are replies, not outbox messages

		now := t0
		sched, err := reminder.New(s, reminder.Config{Location: time.UTC, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		m := &panel.Meeting{CampaignID: e.campaign.ID, Title: "Møte 1", StartsAt: time.Date(2027, 3, 10, 18, 0, 0, 0, time.UTC)}
		if err := s.CreateMeeting(e.ctx, m); err != nil {
			t.Fatalf("CreateMeeting: %v", err)
		}
		now = m.StartsAt.Add(-7*24*time.Hour + time.Hour)
		if _, err := sched.Tick(e.ctx); err != nil {
			t.Fatalf("Tick: %v", err)
		}
		e.expectBodies(t, english, "Reminder: Møte 1 is on Wednesday 10 March at 18:00. Place: to be announced.",
			"Påminnelse: Møte 1 er onsdag 10. mars kl. 18:00. Sted: kommer senere.")
	})
}

// expectBodies claims the outbox's queued messages and checks that those
// to numbers in english start with en and the others with nb; with en
// and nb both "", that there are none.
func (e *env) expectBodies(t *testing.T, english map[panel.Phone]bool, en, nb string) {
	t.Helper()
	msgs, err := e.s.Claim(e.ctx, "test", t0.AddDate(2, 0, 0), 100, time.Minute)
	if err != nil {
		t.Fatalf("Claim: %v", err)
	}
	if en == "" && nb == "" {
		if len(msgs) != 0 {
			t.Errorf("got %d queued messages, want none", len(msgs))
		}
		return
	}
	if len(msgs) != 4 {
		t.Fatalf("got %d queued messages, want 4", len(msgs))
	}
	for _, m := range msgs {
		want := nb
		if english[m.To] {
			want = en
		}
		if !strings.HasPrefix(m.Body, want) {
			t.Errorf("to %s (english %t): got %q, want it to start %q", m.To, english[m.To], m.Body, want)
		}
	}
}
