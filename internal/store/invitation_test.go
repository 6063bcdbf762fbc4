package store_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestImportCampaignRecipientsState(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := panel.WithActor(context.Background(), panel.Actor{Name: "alice", Role: panel.RoleOrganiser})
		c := newCampaign(t, s, "closed")
		if err := s.ExecRaw(ctx, "UPDATE campaigns SET state = 'closed' WHERE id = ?", c.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.ImportCampaignRecipients(ctx, c.ID, recipientRows(2), 0)
		if panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("import into a closed campaign: got %v, want conflict", err)
		}
		if n, _ := s.CountRecipientsByState(ctx, c.ID); len(n) != 0 {
			t.Errorf("recipients after refused import: %v, want none", n)
		}
		if _, err := s.ImportCampaignRecipients(ctx, 999, recipientRows(1), 0); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("unknown campaign: got %v, want not found", err)
		}

		d := newCampaign(t, s, "draft")
		n, err := s.ImportCampaignRecipients(ctx, d.ID, recipientRows(3), 2)
		if err != nil || n != 3 {
			t.Fatalf("import: got %d, %v; want 3", n, err)
		}
		evs, err := s.ListAuditEvents(ctx, panel.AuditFilter{Subject: "campaign/" + itoa(d.ID)})
		if err != nil || len(evs) != 2 || evs[1].Action != store.AuditRecipientsImported || evs[1].Actor != "alice" ||
			string(evs[1].Details) != `{"columns":["age","gender"],"imported":3,"rejected":2}` {
			t.Fatalf("audit: got %v (%v), want campaign.created then recipients.imported by alice with counts", evs, err)
		}
	})
}

func TestStartSendingExactlyOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := newCampaign(t, s, "send")
		if _, err := s.ImportCampaignRecipients(ctx, c.ID, recipientRows(50), 0); err != nil {
			t.Fatal(err)
		}
		// Concurrent sends enqueue each invitation once between them.
		var wg sync.WaitGroup
		results := make([]panel.SendResult, 4)
		errs := make([]error, 4)
		for i := range results {
			wg.Go(func() { results[i], errs[i] = s.StartSending(ctx, c.ID, "Hei") })
		}
		wg.Wait()
		total := 0
		for i := range results {
			if errs[i] != nil {
				t.Fatalf("StartSending %d: %v", i, errs[i])
			}
			total += results[i].Enqueued
		}
		if total != 50 {
			t.Errorf("enqueued in all: got %d, want 50", total)
		}
		counts, err := s.CountMessagesByState(ctx, c.ID, panel.KindInvitation)
		if err != nil || counts[panel.MessageQueued] != 50 || len(counts) != 1 {
			t.Errorf("invitations: got %v (%v), want 50 queued", counts, err)
		}
		got, err := s.FindCampaignByID(ctx, c.ID)
		if err != nil || got.State != panel.CampaignSending {
			t.Errorf("state: got %v (%v), want sending", got, err)
		}
		msgs, err := s.Claim(ctx, "t", time.Now().Add(time.Minute), 1, time.Minute)
		if err != nil || len(msgs) != 1 || msgs[0].DedupKey != "invitation/"+itoa(c.ID)+"/"+itoa(msgs[0].RecipientID) {
			t.Fatalf("claim: got %+v (%v), want dedup key invitation/<campaign>/<recipient>", msgs, err)
		}
		if _, err := s.StartSending(ctx, c.ID, " "); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("empty body: got %v, want invalid", err)
		}
	})
}

func TestChangeCampaignState(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := newCampaign(t, s, "states")
		steps := []struct {
			action, wantState, wantCode string
		}{
			{panel.ActionPause, "", panel.ECONFLICT},
			{panel.ActionResume, "", panel.ECONFLICT},
			{panel.ActionSend, panel.CampaignSending, ""},
			{panel.ActionPause, panel.CampaignPaused, ""},
			{panel.ActionSend, "", panel.ECONFLICT},
			{panel.ActionResume, panel.CampaignSending, ""},
			{"close", "", panel.EINVALID},
		}
		for i, st := range steps {
			var state string
			var err error
			if st.action == panel.ActionSend {
				var r panel.SendResult
				r, err = s.StartSending(ctx, c.ID, "Hei")
				state = r.State
			} else {
				var got *panel.Campaign
				got, err = s.ChangeCampaignState(ctx, c.ID, st.action)
				if got != nil {
					state = got.State
				}
			}
			if panel.ErrorCode(err) != st.wantCode || state != st.wantState {
				t.Errorf("step %d %s: got state %q err %v, want %q code %q", i, st.action, state, err, st.wantState, st.wantCode)
			}
		}
		evs, _ := s.ListAuditEvents(ctx, panel.AuditFilter{Subject: "campaign/" + itoa(c.ID)})
		var actions []string
		for _, e := range evs {
			actions = append(actions, e.Action)
		}
		want := []string{"campaign.created", store.AuditSendingStarted, store.AuditCampaignPaused, store.AuditCampaignResumed}
		if len(actions) != len(want) {
			t.Fatalf("audit: got %v, want %v", actions, want)
		}
		for i := range want {
			if actions[i] != want[i] {
				t.Errorf("audit: got %v, want %v", actions, want)
			}
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
