package inbox_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestReprompts(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := setup(t, s, 2)

		// Before yes: every unclear message goes to the inbox, the first
		// also gets a re-prompt, and yes still works.
		invitee := phone(1)
		steps := []struct {
			body, want string
			inbox      int
		}{
			{"Hvem er dere?", nbReprompt, 1},
			{"Hvor fikk dere nummeret mitt?", "", 2},
			{"ja", nbEducation, 2},
		}
		for _, st := range steps {
			if got := e.send(invitee, st.body); !contains(got, st.want) {
				t.Fatalf("%q: got reply %q, want %q", st.body, got, st.want)
			}
			if got := len(e.inbox()); got != st.inbox {
				t.Fatalf("after %q: got %d inbox messages, want %d", st.body, got, st.inbox)
			}
		}

		// In the dialogue: an invalid answer re-asks once, then goes to the
		// inbox without changing the step; a valid answer moves on.
		v := phone(2)
		e.send(v, "ja")
		for i, st := range []struct{ body, want string }{
			{"hæ?", nbReask + " " + nbEducation},
			{"det vil jeg ikke si", ""},
			{"JA", ""},
			{"1", nbAttend},
			{"kanskje", nbReask + " " + nbAttend},
			{"nei", nbCannot},
		} {
			if got := e.send(v, st.body); !contains(got, st.want) {
				t.Fatalf("dialogue message %d %q: got reply %q, want %q", i+1, st.body, got, st.want)
			}
		}
		vol := e.volunteer(v)
		if vol.Complete || vol.DialogueState != panel.DialogueFinished || vol.Values[panel.CategoryEducation] != panel.EducationCompulsory {
			t.Errorf("got volunteer %+v, want a finished, incomplete one with grunnskole", vol)
		}
		// "hæ?" is a question: re-asked and in the inbox.
		inbox := e.inbox()
		if len(inbox) != 5 {
			t.Fatalf("got %d inbox messages, want 5", len(inbox))
		}
		if inbox[3].Body != "det vil jeg ikke si" || inbox[3].RecipientPseudoID != e.recipient(v).PseudoID {
			t.Errorf("got inbox message %+v, want the second invalid answer with the pseudonym", inbox[3])
		}
	})
}

// contains reports whether got contains want, and for want "" whether got is "".
func contains(got, want string) bool {
	if want == "" {
		return got == ""
	}
	return strings.Contains(got, want)
}

func TestStopAtAnyPoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		before []string
	}{
		{"right after the invitation", nil},
		{"after yes", []string{"ja"}},
		{"after the first answer", []string{"ja", "2"}},
		{"after a re-ask", []string{"ja", "hmm"}},
		{"after completing", []string{"ja", "2", "ja"}},
		{"after no", []string{"nei"}},
		{"after an unclear reply", []string{"hva?"}},
	}
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := setup(t, s, len(tests))
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e.t = t
				p := phone(i + 1)
				for _, m := range tt.before {
					e.send(p, m)
				}
				rid := e.ids[p]
				queued := &panel.OutboundMessage{CampaignID: e.campaign.ID, RecipientID: rid, Kind: panel.KindNotice,
					Body: "Påminnelse", DedupKey: fmt.Sprintf("notice/%d", rid)}
				if _, err := e.s.Enqueue(e.ctx, []*panel.OutboundMessage{queued}); err != nil {
					t.Fatalf("Enqueue: %v", err)
				}
				if got := e.send(p, "STOPP"); !strings.Contains(got, nbStop) {
					t.Errorf("got reply %q to STOPP, want the confirmation", got)
				}
				r := e.recipient(p)
				if r.State != panel.RecipientOptedOut || r.OptedOutAt == nil {
					t.Errorf("got state %q opted out at %v, want opted_out with a time", r.State, r.OptedOutAt)
				}
				if v := e.volunteer(p); v != nil && (v.Complete || v.DialogueState != panel.DialogueWithdrawn) {
					t.Errorf("got volunteer %+v, want withdrawn and incomplete", v)
				}
				if st, err := e.s.CampaignSendStats(e.ctx, e.campaign.ID); err != nil || st.Queued != 0 || st.Cancelled != i+1 {
					t.Errorf("got send stats %+v, %v, want nothing queued and %d cancelled", st, err, i+1)
				}
				sent, err := e.s.Claim(e.ctx, "after-stop", t0.AddDate(1, 0, 0), 100, 60e9)
				if err != nil || len(sent) != 0 {
					t.Errorf("Claim after STOP: got %d messages, %v, want none", len(sent), err)
				}
				for _, m := range []string{"ja", "STOPP", "2", "Hvorfor?"} {
					if got := e.send(p, m); got != "" {
						t.Errorf("after STOP %q: got reply %q, want none", m, got)
					}
				}
				if got := e.recipient(p).State; got != panel.RecipientOptedOut {
					t.Errorf("got state %q after more messages, want opted_out", got)
				}
			})
		}
		pool, err := e.svc.Pool(e.ctx, e.campaign.ID)
		if err != nil || len(pool) != 0 {
			t.Errorf("Pool: got %d volunteers, %v, want none", len(pool), err)
		}
		// Only the unclear reply sent before STOP waits for a person.
		if got := e.inbox(); len(got) != 1 || got[0].Body != "hva?" {
			t.Errorf("got %d inbox messages, want only the unclear reply before STOP: opted-out messages are ignored", len(got))
		}
	})
}

func TestDuplicates(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := setup(t, s, 2)
		p := phone(1)
		yes := panel.InboundSMS{ProviderID: "SMdup1", From: p, Body: "ja"}
		first := e.sendSMS(yes)
		second := e.sendSMS(panel.InboundSMS{ProviderID: "SMdup2", From: p, Body: "2"})
		if again := e.sendSMS(yes); again != first {
			t.Errorf("got %q for the repeated yes, want the first reply %q", again, first)
		}
		if again := e.sendSMS(panel.InboundSMS{ProviderID: "SMdup2", From: p, Body: "4"}); again != second {
			t.Errorf("got %q for a repeated id with another body, want the first reply %q", again, second)
		}
		v := e.volunteer(p)
		if v.Step != 1 || v.Values[panel.CategoryEducation] != panel.EducationUpperSec {
			t.Errorf("got step %d education %q, want 1 and the first answer", v.Step, v.Values[panel.CategoryEducation])
		}

		// Twenty concurrent deliveries of one message count once.
		q := phone(2)
		in := panel.InboundSMS{ProviderID: "SMconcurrent", From: q, Body: "ja"}
		replies := make([]string, 20)
		var wg sync.WaitGroup
		for i := range replies {
			wg.Go(func() {
				r, err := e.svc.Handle(e.ctx, in)
				if err != nil {
					t.Errorf("concurrent Handle %d: %v", i, err)
				}
				replies[i] = r
			})
		}
		wg.Wait()
		for i, r := range replies {
			if r != replies[0] || !strings.Contains(r, nbEducation) {
				t.Errorf("reply %d: got %q, want the same welcome as all others (%q)", i, r, replies[0])
			}
		}
		if got := e.send(q, "3"); !strings.Contains(got, nbAttend) {
			t.Errorf("got %q after the concurrent yes, want the second question (dialogue started once)", got)
		}
	})
}

func TestUnknownNumberAndClosedSenders(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := setup(t, s, 1)
		for _, body := range []string{"ja", "STOPP", "Hvem er dette?"} {
			in := panel.InboundSMS{ProviderID: "SMunknown" + fmt.Sprint(e.seq.Add(1)), From: "+4798765432", Body: body}
			if got := e.sendSMS(in); got != "" {
				t.Errorf("%q from an unknown number: got reply %q, want none", body, got)
			}
			m, err := e.s.FindInboundByProviderID(e.ctx, in.ProviderID)
			if err != nil {
				t.Fatalf("FindInboundByProviderID: %v", err)
			}
			if m.State != panel.InboundIgnored || m.RecipientID != 0 || m.Body != body {
				t.Errorf("got stored %+v, want ignored, without recipient, body kept", m)
			}
		}
	})
}

func TestAfterTheDialogue(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := setup(t, s, 2)
		done := phone(1)
		for _, m := range []string{"ja", "4 ja"} {
			e.send(done, m)
		}
		before := e.volunteer(done)
		if got := e.send(done, "JA"); !strings.Contains(got, nbAlready) {
			t.Errorf("got %q for yes after the dialogue, want %q", got, nbAlready)
		}
		if got := e.send(done, "Kan ikke komme 2. desember likevel"); got != "" {
			t.Errorf("got %q for a change of plans, want none (it goes to the inbox)", got)
		}
		after := e.volunteer(done)
		if after.Step != before.Step || !after.Complete || after.Values[panel.CategoryEducation] != panel.EducationLongHigh {
			t.Errorf("got volunteer %+v, want it unchanged from %+v", after, before)
		}
		cannot := phone(2)
		for _, m := range []string{"ja", "1", "nei"} {
			e.send(cannot, m)
		}
		if got := e.send(cannot, "ja"); got != "" {
			t.Errorf("got %q for yes after cannot-attend, want none (inbox)", got)
		}
		if n := len(e.inbox()); n != 2 {
			t.Errorf("got %d inbox messages, want 2", n)
		}
	})
}

func TestInboxResolve(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := setup(t, s, 1)
		p := phone(1)
		e.send(p, "hei?")
		e.send(p, "Ring meg heller")
		inbox := e.inbox()
		if len(inbox) != 2 || inbox[0].Body != "hei?" || inbox[1].Body != "Ring meg heller" || inbox[1].Inbox != panel.InboxOpen {
			t.Fatalf("got %d inbox messages, want both unclear messages, open", len(inbox))
		}
		open := inbox[1:]
		e.sendSMS(panel.InboundSMS{ProviderID: "SMyes", From: p, Body: "ja"})
		yes, err := e.s.FindInboundByProviderID(e.ctx, "SMyes")
		if err != nil {
			t.Fatalf("FindInboundByProviderID: %v", err)
		}
		got, err := e.svc.Resolve(e.ctx, e.campaign.ID, open[0].ID, "  called back  ")
		if err != nil {
			t.Fatalf("Resolve: %v", err)
		}
		if got.Inbox != panel.InboxResolved || got.Resolution != "called back" || got.ResolvedAt == nil {
			t.Errorf("got %+v, want resolved with the note", got)
		}
		for _, tt := range []struct {
			name       string
			campaignID int64
			id         int64
			want       string
		}{
			{"resolved twice", e.campaign.ID, open[0].ID, panel.ECONFLICT},
			{"other campaign", e.campaign.ID + 1, open[0].ID, panel.ENOTFOUND},
			{"not an inbox message", e.campaign.ID, yes.ID, panel.ENOTFOUND},
		} {
			if _, err := e.svc.Resolve(e.ctx, tt.campaignID, tt.id, ""); panel.ErrorCode(err) != tt.want {
				t.Errorf("%s: got %v, want %s", tt.name, err, tt.want)
			}
		}
		if n := len(e.inbox()); n != 1 {
			t.Errorf("got %d open inbox messages, want 1", n)
		}
		all, total, err := e.svc.Inbox(e.ctx, e.campaign.ID, panel.InboxFilter{})
		if err != nil || total != 2 || len(all) != 2 {
			t.Errorf("Inbox(all): got %d of %d, %v, want 2 of 2", len(all), total, err)
		}
		if _, _, err := e.svc.Inbox(e.ctx, e.campaign.ID, panel.InboxFilter{State: "closed"}); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("Inbox(state=closed): got %v, want EINVALID", err)
		}
	})
}

func TestPoolComposition(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := setup(t, s, 6)
		// Recipients 1..6 alternate kvinne/mann; 1, 3, 5 are women.
		answers := map[int]string{1: "4 ja", 2: "4 ja", 3: "2 ja", 4: "1 nei"}
		for i := 1; i <= 6; i++ {
			e.send(phone(i), "ja")
			if a, ok := answers[i]; ok {
				e.send(phone(i), a)
			}
		}
		pool, err := e.svc.Pool(e.ctx, e.campaign.ID)
		if err != nil || len(pool) != 3 {
			t.Fatalf("Pool: got %d volunteers, %v, want 3 complete", len(pool), err)
		}
		// The quotas are spelled as organisers write them; the volunteers'
		// values are stored folded ("kvinne"), and match as in the draw.
		quotas := []panel.Quota{
			{Category: "Gender", Value: "Kvinne", Min: 2, Max: 3},
			{Category: "gender", Value: "MANN", Min: 2, Max: 3},
			{Category: "education", Value: panel.EducationLongHigh, Min: 1, Max: 2},
			{Category: "education", Value: panel.EducationCompulsory, Min: 1, Max: 2},
		}
		c, err := e.svc.Composition(e.ctx, e.campaign.ID, quotas)
		if err != nil {
			t.Fatalf("Composition: %v", err)
		}
		if c.Volunteers != 3 {
			t.Errorf("got %d volunteers, want 3", c.Volunteers)
		}
		want := map[string]int{"Gender=Kvinne": 2, "gender=MANN": 1, "education=lang høyere": 2,
			"education=grunnskole": 0, "education=videregående": 1}
		got := map[string]int{}
		for _, v := range c.Values {
			got[v.Category+"="+v.Value] = v.Pool
		}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("got %s: %d, want %d", k, got[k], n)
			}
		}
		var unmet []string
		for _, u := range c.Unmet {
			unmet = append(unmet, u.String())
		}
		if wantUnmet := "gender=MANN: 1 of min 2; education=grunnskole: 0 of min 1"; strings.Join(unmet, "; ") != wantUnmet {
			t.Errorf("got unmet %q, want %q", strings.Join(unmet, "; "), wantUnmet)
		}
	})
}
