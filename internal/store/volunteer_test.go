package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

func TestCampaignDialogue(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := inboundCampaign(t, s, "dialogue", panel.CampaignSending, panel.RecipientInvited)
		got, err := s.CampaignDialogue(ctx, c.ID)
		if err != nil || !reflect.DeepEqual(got, panel.DefaultDialogue()) {
			t.Fatalf("got %+v, %v, want the default dialogue", got, err)
		}
		custom := panel.DialogueConfig{Questions: []panel.Question{{
			Key: "attend", Kind: panel.QuestionYesNo, MustBeYes: true,
			Text: map[string]string{"nb": "Kan du komme?", "en": "Can you come?"},
		}}}
		if err := s.SetCampaignDialogue(ctx, c.ID, custom); err != nil {
			t.Fatalf("SetCampaignDialogue: %v", err)
		}
		if got, err := s.CampaignDialogue(ctx, c.ID); err != nil || !reflect.DeepEqual(got, custom) {
			t.Errorf("got %+v, %v, want %+v", got, err, custom)
		}
		bad := panel.DialogueConfig{Questions: []panel.Question{{Key: "x", Kind: "essay", Text: map[string]string{"nb": "?"}}}}
		if err := s.SetCampaignDialogue(ctx, c.ID, bad); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("got %v for a bad kind, want EINVALID", err)
		}
		if err := s.SetCampaignDialogue(ctx, c.ID+1, custom); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("got %v for an unknown campaign, want ENOTFOUND", err)
		}
		if _, err := s.CampaignDialogue(ctx, c.ID+1); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("got %v reading an unknown campaign, want ENOTFOUND", err)
		}
	})
}

func TestVolunteerAnswersAndPool(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := inboundCampaign(t, s, "pool", panel.CampaignSending, panel.RecipientInvited, "+4791000001", "+4791000002")
		steps := []struct {
			from     panel.Phone
			complete bool
			answers  []panel.Answer
		}{
			{"+4791000001", false, []panel.Answer{{Question: "education", Answer: "grunnskole"}}},
			{"+4791000001", true, []panel.Answer{{Question: "education", Answer: "lang høyere"}, {Question: "attend_all", Answer: "yes"}}},
			{"+4791000002", false, nil},
		}
		for i, st := range steps {
			in := panel.InboundSMS{ProviderID: "SMpool" + string(rune('a'+i)), From: st.from, Body: "x"}
			_, err := s.ProcessInbound(ctx, in, func(snap *panel.DialogueSnapshot) (*panel.DialogueOutcome, error) {
				v := snap.Volunteer
				if v == nil {
					v = &panel.Volunteer{CampaignID: snap.Recipient.CampaignID, RecipientID: snap.Recipient.ID,
						ExternalID: snap.Recipient.PseudoID, Values: map[string]string{}, DialogueState: panel.DialogueAsking,
						Source: panel.SourceSMS}
				}
				v.Complete = st.complete
				for _, a := range st.answers {
					v.Values[a.Question] = a.Answer
				}
				return &panel.DialogueOutcome{Volunteer: v, Answers: st.answers, MessageState: panel.InboundHandled}, nil
			})
			if err != nil {
				t.Fatalf("step %d: %v", i+1, err)
			}
		}
		pool, err := s.ListPool(ctx, c.ID)
		if err != nil || len(pool) != 1 {
			t.Fatalf("ListPool: got %d, %v, want 1", len(pool), err)
		}
		want := map[string]string{"education": "lang høyere", "attend_all": "yes"}
		if !reflect.DeepEqual(pool[0].Values, want) || pool[0].RecipientID != 1 {
			t.Errorf("got %+v, want recipient 1 with %v", pool[0], want)
		}
		answers, err := s.ListAnswers(ctx, pool[0].ID)
		if err != nil || len(answers) != 2 || answers[0].Answer != "lang høyere" || answers[0].InboundMessageID == 0 {
			t.Errorf("ListAnswers: got %+v, %v, want the replaced education answer first", answers, err)
		}
	})
}
