package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/roster"
	"github.com/citizenspanel/panel/internal/store"
)

func TestMeetings(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s, false)
		c, list := drawnCampaign(t, e)
		path := fmt.Sprintf("/campaigns/%d/meetings", c.ID)
		a := list.Panel[0].PseudoID
		org := e.browser("nb")
		org.signIn("kari")
		if p := org.post(fmt.Sprintf("/campaigns/%d/members/%s/call", c.ID, a), url.Values{"nonce": {"c1"}, "outcome": {"confirmed"}}); p.status != http.StatusSeeOther {
			t.Fatalf("confirm %s: %d", a, p.status)
		}
		p := org.get(path)
		checkPage(t, path, "nb", p.body)
		nonce := formValue(t, p.body, "nonce")

		// The clock is 6 December 12:00 UTC: for a meeting on 10 December
		// the 7-day reminder is overdue, the 1-day one is not.
		form := url.Values{"nonce": {nonce}, "title": {"Første samling"}, "date": {"2026-12-10"}, "time": {"18:00"}, "place": {"Rådhuset"}, "step": {"preview"}}
		p = org.post(path, form)
		checkPage(t, path, "nb", p.body)
		for _, want := range []string{"9. des. 2026 kl. 12:00", "3. des. 2026 kl. 12:00", "For sent: sendes ikke", "Sendes til tiden",
			`id="send_overdue"`, `id="meeting-save"`, "1 påminnelse er alt forfalt", "til 1 bekreftede"} {
			if !strings.Contains(p.body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		if ms, _ := s.ListMeetings(e.ctx, c.ID); len(ms) != 0 {
			t.Fatalf("the preview stored %d meetings", len(ms))
		}

		// Bad input is named in the person's language; nothing stored.
		for _, tc := range []struct {
			lang, field, value, want string
		}{
			{"nb", "title", " ", "Samlingen trenger en tittel."},
			{"nb", "date", "10.12.2026", "Skriv dato og klokkeslett"},
			{"en", "date", "2026-12-01", "has already passed"},
			{"en", "time", "25:00", "Give the meeting"},
		} {
			br := e.browser(tc.lang)
			br.signIn("kari")
			bad := url.Values{}
			for k, v := range form {
				bad[k] = v
			}
			bad.Set(tc.field, tc.value)
			bad.Set("step", "save")
			if p := br.post(path, bad); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, tc.want) {
				t.Errorf("%s %s=%q: %d, want 422 with %q", tc.lang, tc.field, tc.value, p.status, tc.want)
			}
		}

		form.Set("step", "save")
		p = org.post(path, form)
		if p.status != http.StatusSeeOther || !strings.HasSuffix(p.location, "notice=created") {
			t.Fatalf("save: %d %q", p.status, p.location)
		}
		if again := org.post(path, form); again.status != http.StatusSeeOther {
			t.Errorf("the same form again: %d", again.status)
		}
		ms, err := s.ListMeetings(e.ctx, c.ID)
		if err != nil || len(ms) != 1 {
			t.Fatalf("meetings: %d (%v), want 1", len(ms), err)
		}
		m := ms[0]
		reminders, _ := s.ListReminders(e.ctx, m.ID)
		if len(reminders) != 1 || reminders[0].State != panel.ReminderSkipped {
			t.Errorf("the overdue reminder not ticked: %d reminders, want one recorded as skipped", len(reminders))
		}

		// A caller reports an absence; the page says who.
		r, _ := roster.New(s, e.draws, roster.Config{})
		if _, err := r.ReportAbsence(panel.WithActor(e.ctx, panel.Actor{Name: "ringer", Role: panel.RoleCaller}), c.ID, a, m.ID, "Syk"); err != nil {
			t.Fatal(err)
		}
		aud := e.browser("en")
		aud.signIn("revi")
		p = aud.get(path)
		checkPage(t, path, "en", p.body)
		if !strings.Contains(p.body, "<td>ringer</td>") || !strings.Contains(p.body, `<dd class="absences">1</dd>`) || strings.Contains(p.body, "Syk") {
			t.Errorf("auditor's meetings page: want the absence and who reported it, without the reason")
		}
		if !strings.Contains(p.body, "Dec 2026, 12:00 (its time has passed); 9 Dec 2026, 12:00 (to 1)") {
			t.Errorf("auditor's meetings page lacks the saved meeting's schedule")
		}
		if strings.Contains(p.body, "/cancel") || strings.Contains(p.body, `id="meeting-form"`) {
			t.Errorf("auditor is offered changes")
		}
		if p := aud.post(fmt.Sprintf("%s/%d/cancel", path, m.ID), nil); p.status != http.StatusForbidden {
			t.Errorf("auditor cancels: %d", p.status)
		}
		if p := org.get(path); !strings.Contains(p.body, "<td>Syk</td>") {
			t.Errorf("organiser does not see the reason")
		}

		edit := url.Values{"title": {"Første samling"}, "date": {"2026-12-11"}, "time": {"17:30"}, "place": {"Rådhuset"}}
		if p := org.post(fmt.Sprintf("%s/%d/edit", path, m.ID), edit); p.status != http.StatusSeeOther {
			t.Errorf("edit: %d\n%s", p.status, p.body)
		}
		if got, _ := s.FindMeeting(e.ctx, m.ID); got == nil || got.Revision != 1 || got.StartsAt.UTC().Hour() != 16 {
			t.Errorf("after the edit: %+v", got)
		}
		if p := org.post(fmt.Sprintf("%s/%d/cancel", path, m.ID), nil); p.status != http.StatusSeeOther {
			t.Errorf("cancel: %d", p.status)
		}
		en := e.browser("en")
		en.signIn("kari")
		if p := en.post(fmt.Sprintf("%s/%d/edit", path, m.ID), edit); p.status != http.StatusConflict || !strings.Contains(p.body, "cannot be changed") {
			t.Errorf("editing a cancelled meeting: %d", p.status)
		}
		if p := org.get(path); !strings.Contains(p.body, "Avlyst") {
			t.Errorf("the cancelled meeting is not marked")
		}
		if p := org.post(fmt.Sprintf("/campaigns/%d/meetings/%d/cancel", c.ID+100, m.ID), nil); p.status != http.StatusNotFound {
			t.Errorf("another campaign's meeting: %d, want 404", p.status)
		}
	})
}
