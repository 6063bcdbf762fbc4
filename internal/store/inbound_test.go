package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// inboundCampaign stores a campaign in state with one recipient per phone,
// each in recipientState.
func inboundCampaign(t testing.TB, s *store.Store, name, state, recipientState string, phones ...panel.Phone) *panel.Campaign {
	t.Helper()
	ctx := context.Background()
	c := panel.NewCampaign()
	c.Name, c.InvitationText = name, "Vil du være med? Svar JA eller NEI."
	if err := s.CreateCampaign(ctx, c); err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	rows := make([]panel.RecipientInput, len(phones))
	for i, p := range phones {
		rows[i] = panel.RecipientInput{Row: i + 2, Phone: p, Attributes: map[string]string{"age": "33"}}
	}
	if _, err := s.ImportRecipients(ctx, c.ID, rows); err != nil {
		t.Fatalf("ImportRecipients: %v", err)
	}
	if err := s.ExecRaw(ctx, "UPDATE campaigns SET state = ? WHERE id = ?", state, c.ID); err != nil {
		t.Fatalf("set campaign state: %v", err)
	}
	if err := s.ExecRaw(ctx, "UPDATE recipients SET state = ? WHERE campaign_id = ?", recipientState, c.ID); err != nil {
		t.Fatalf("set recipient state: %v", err)
	}
	return c
}

// echo is a decide function that answers with the sender's campaign and
// counts its calls.
func echo(calls *atomic.Int64) panel.DecideFunc {
	return func(snap *panel.DialogueSnapshot) (*panel.DialogueOutcome, error) {
		calls.Add(1)
		reply := "unknown"
		if snap.Recipient != nil {
			reply = fmt.Sprintf("campaign %d recipient %d", snap.Recipient.CampaignID, snap.Recipient.ID)
		}
		return &panel.DialogueOutcome{Reply: reply, MessageState: panel.InboundHandled}, nil
	}
}

func TestProcessInboundOnceUnderConcurrency(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		inboundCampaign(t, s, "dedup", panel.CampaignSending, panel.RecipientInvited, "+4791000001")
		var calls atomic.Int64
		in := panel.InboundSMS{ProviderID: "SM0123456789abcdef", From: "+4791000001", Body: "ja"}
		results := make([]*panel.InboundResult, 20)
		var wg sync.WaitGroup
		for i := range results {
			wg.Go(func() {
				res, err := s.ProcessInbound(context.Background(), in, echo(&calls))
				if err != nil {
					t.Errorf("ProcessInbound %d: %v", i, err)
					return
				}
				results[i] = res
			})
		}
		wg.Wait()
		if got := calls.Load(); got != 1 {
			t.Errorf("decide ran %d times, want once", got)
		}
		fresh := 0
		for i, r := range results {
			if r == nil {
				continue
			}
			if !r.Duplicate {
				fresh++
			}
			if r.Reply != "campaign 1 recipient 1" || r.Message.ProviderID != in.ProviderID {
				t.Errorf("result %d: got reply %q for %q, want the first reply", i, r.Reply, r.Message.ProviderID)
			}
		}
		if fresh != 1 {
			t.Errorf("got %d results that were not duplicates, want 1", fresh)
		}
		m, err := s.FindInboundByProviderID(context.Background(), in.ProviderID)
		if err != nil || m.State != panel.InboundHandled || m.RecipientID != 1 || m.CampaignID != 1 || m.HandledAt == nil {
			t.Errorf("got stored %+v, %v, want handled and linked to recipient 1", m, err)
		}
	})
}

// TestProcessInboundUnknownSenderOnce delivers one message from a number
// that is no recipient many times at once: no recipient row serialises the
// deliveries, yet one is stored and all answer as the first did.
func TestProcessInboundUnknownSenderOnce(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		in := panel.InboundSMS{ProviderID: "SMunknown0123456789", From: "+4791999999", Body: "hei"}
		var calls atomic.Int64
		var fresh atomic.Int64
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Go(func() {
				res, err := s.ProcessInbound(context.Background(), in, echo(&calls))
				if err != nil {
					t.Errorf("ProcessInbound %d: %v", i, err)
					return
				}
				if !res.Duplicate {
					fresh.Add(1)
				}
				if res.Reply != "unknown" || res.Message.ProviderID != in.ProviderID || res.Message.State != panel.InboundHandled {
					t.Errorf("result %d: got reply %q, message %+v, want the first reply and a handled message", i, res.Reply, res.Message)
				}
			})
		}
		wg.Wait()
		if got := fresh.Load(); got != 1 {
			t.Errorf("got %d results that were not duplicates, want 1", got)
		}
		m, err := s.FindInboundByProviderID(context.Background(), in.ProviderID)
		if err != nil || m.State != panel.InboundHandled || m.RecipientID != 0 || m.Reply != "unknown" {
			t.Errorf("got stored %+v, %v, want one handled message without recipient", m, err)
		}
	})
}

func TestProcessInboundRollsBack(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		inboundCampaign(t, s, "rollback", panel.CampaignSending, panel.RecipientInvited, "+4791000001")
		in := panel.InboundSMS{ProviderID: "SMrollback", From: "+4791000001", Body: "ja"}
		boom := errors.New("boom")
		_, err := s.ProcessInbound(ctx, in, func(*panel.DialogueSnapshot) (*panel.DialogueOutcome, error) { return nil, boom })
		if !errors.Is(err, boom) {
			t.Fatalf("got %v, want decide's error", err)
		}
		if _, err := s.FindInboundByProviderID(ctx, in.ProviderID); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("got %v, want ENOTFOUND: a failed message is not stored", err)
		}
		var calls atomic.Int64
		res, err := s.ProcessInbound(ctx, in, echo(&calls))
		if err != nil || res.Duplicate || calls.Load() != 1 {
			t.Errorf("retry: got %+v, %v after %d calls, want it handled as new", res, err, calls.Load())
		}
	})
}

// TestProcessInboundInTx checks that a message handled inside InTx is part
// of the caller's transaction: gone when it rolls back, kept when it
// commits, and seen as a duplicate within it.
func TestProcessInboundInTx(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		inboundCampaign(t, s, "in tx", panel.CampaignSending, panel.RecipientInvited, "+4791000001")
		in := panel.InboundSMS{ProviderID: "SMintx", From: "+4791000001", Body: "ja"}
		var calls atomic.Int64
		boom := errors.New("boom")
		err := s.InTx(ctx, func(tx *store.Store) error {
			if res, err := tx.ProcessInbound(ctx, in, echo(&calls)); err != nil || res.Duplicate {
				t.Fatalf("in a transaction: got %+v, %v, want it handled", res, err)
			}
			if res, err := tx.ProcessInbound(ctx, in, echo(&calls)); err != nil || !res.Duplicate {
				t.Fatalf("again in the same transaction: got %+v, %v, want a duplicate", res, err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("got %v, want the transaction's error", err)
		}
		if _, err := s.FindInboundByProviderID(ctx, in.ProviderID); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("got %v, want ENOTFOUND after the rollback", err)
		}
		err = s.InTx(ctx, func(tx *store.Store) error {
			_, err := tx.ProcessInbound(ctx, in, echo(&calls))
			return err
		})
		if err != nil {
			t.Fatalf("commit: %v", err)
		}
		m, err := s.FindInboundByProviderID(ctx, in.ProviderID)
		if err != nil || m.RecipientID != 1 || m.Reply == "" || calls.Load() != 2 {
			t.Errorf("got %+v, %v after %d calls, want the committed message of recipient 1 after 2 calls", m, err, calls.Load())
		}
	})
}

func TestProcessInboundFindsTheSender(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		const p = panel.Phone("+4791000001")
		inboundCampaign(t, s, "old round", panel.CampaignClosed, panel.RecipientDeclined, p)              // recipient 1
		inboundCampaign(t, s, "this round", panel.CampaignSending, panel.RecipientInvited, p)             // recipient 2
		inboundCampaign(t, s, "not sent yet", panel.CampaignDraft, panel.RecipientPending, p)             // recipient 3
		inboundCampaign(t, s, "only closed", panel.CampaignClosed, panel.RecipientInvited, "+4791000002") // recipient 4
		inboundCampaign(t, s, "closed later", panel.CampaignClosed, panel.RecipientInvited, p)            // recipient 5
		tests := []struct {
			name string
			from panel.Phone
			want string
		}{
			{"recruiting campaign wins over older and newer closed ones and a draft", p, "campaign 2 recipient 2"},
			{"a closed campaign when there is nothing else", "+4791000002", "campaign 4 recipient 4"},
			{"unknown number", "+4791000009", "unknown"},
			{"not a phone number", "TWILIO", "unknown"},
		}
		for i, tt := range tests {
			var calls atomic.Int64
			res, err := s.ProcessInbound(context.Background(),
				panel.InboundSMS{ProviderID: fmt.Sprintf("SMsender%d", i), From: tt.from, Body: "ja"}, echo(&calls))
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if res.Reply != tt.want {
				t.Errorf("%s: got %q, want %q", tt.name, res.Reply, tt.want)
			}
		}
	})
}

func TestProcessInboundValidates(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("æ", 5000)
	tests := []struct {
		name     string
		in       panel.InboundSMS
		wantCode string
		wantBody string
	}{
		{"no id", panel.InboundSMS{From: "+4791000001", Body: "ja"}, panel.EINVALID, ""},
		{"id with spaces inside", panel.InboundSMS{ProviderID: "SM 1", From: "+4791000001"}, panel.EINVALID, ""},
		{"id too long", panel.InboundSMS{ProviderID: strings.Repeat("S", 65), From: "+4791000001"}, panel.EINVALID, ""},
		{"no sender", panel.InboundSMS{ProviderID: "SMv1", Body: "ja"}, panel.EINVALID, ""},
		{"NUL and bad UTF-8 are cleaned", panel.InboundSMS{ProviderID: "SMv2", From: "+4791000001", Body: "j\x00a\xff"}, "", "ja\uFFFD"},
		{"long body is cut", panel.InboundSMS{ProviderID: "SMv3", From: "+4791000001", Body: long}, "", strings.Repeat("æ", panel.MaxInboundBody)},
		{"empty body", panel.InboundSMS{ProviderID: "SMv4", From: "+4791000001"}, "", ""},
	}
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		for _, tt := range tests {
			var calls atomic.Int64
			res, err := s.ProcessInbound(context.Background(), tt.in, echo(&calls))
			if got := panel.ErrorCode(err); got != tt.wantCode {
				t.Errorf("%s: got code %q (%v), want %q", tt.name, got, err, tt.wantCode)
				continue
			}
			if err != nil {
				continue
			}
			if res.Message.Body != tt.wantBody || !utf8.ValidString(res.Message.Body) {
				t.Errorf("%s: got body of %d characters, want %d", tt.name, utf8.RuneCountInString(res.Message.Body), utf8.RuneCountInString(tt.wantBody))
			}
			stored, err := s.FindInboundByProviderID(context.Background(), tt.in.ProviderID)
			if err != nil || stored.Body != tt.wantBody || stored.State != panel.InboundHandled {
				t.Errorf("%s: got stored %v, want the cleaned body, handled", tt.name, err)
			}
		}
	})
}
