package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestProcessInboundManyAtOnce sends two messages from each of many people
// at once, every message delivered twice, so that they share transactions:
// one person opts out, one message fails in decide, and every other
// outcome is applied once.
func TestProcessInboundManyAtOnce(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const people = 24
		phones := make([]panel.Phone, people)
		for i := range phones {
			phones[i] = panel.Phone(fmt.Sprintf("+479200%04d", i+1))
		}
		inboundCampaign(t, s, "many", panel.CampaignSending, panel.RecipientInvited, phones...)
		const stopper, failing = 3, 5 // recipient ids (phones[2], phones[4])
		boom := errors.New("boom")
		var mu sync.Mutex
		calls := map[string]int{}
		decide := func(snap *panel.DialogueSnapshot) (*panel.DialogueOutcome, error) {
			mu.Lock()
			calls[snap.Message.ProviderID]++
			mu.Unlock()
			r := snap.Recipient
			out := &panel.DialogueOutcome{MessageState: panel.InboundHandled, Reprompts: snap.Reprompts}
			switch {
			case r == nil:
				return nil, fmt.Errorf("message %s: no sender found", snap.Message.ProviderID)
			case r.ID == stopper:
				out.OptOut, out.RecipientState, out.Reply = true, panel.RecipientOptedOut, "stopped"
			case r.ID == failing && snap.Message.ProviderID == "SMmany-5-0":
				return nil, boom
			default:
				// Each message counts a re-prompt: the second sees the first.
				out.Reprompts = snap.Reprompts + 1
				out.Reply = fmt.Sprintf("recipient %d reprompt %d", r.ID, out.Reprompts)
			}
			return out, nil
		}
		type result struct {
			res *panel.InboundResult
			err error
		}
		results := map[string][]result{}
		var wg sync.WaitGroup
		for i := range people {
			for k := range 2 {
				in := panel.InboundSMS{ProviderID: fmt.Sprintf("SMmany-%d-%d", i+1, k), From: phones[i], Body: "hei"}
				for range 2 {
					wg.Go(func() {
						res, err := s.ProcessInbound(ctx, in, decide)
						mu.Lock()
						results[in.ProviderID] = append(results[in.ProviderID], result{res, err})
						mu.Unlock()
					})
				}
			}
		}
		wg.Wait()

		var handled atomic.Int64
		for pid, rs := range results {
			fresh, replies := 0, map[string]bool{}
			for _, r := range rs {
				if r.err != nil {
					if pid != "SMmany-5-0" {
						t.Errorf("%s: %v", pid, r.err)
					}
					continue
				}
				if !r.res.Duplicate {
					fresh++
				}
				replies[r.res.Reply] = true
			}
			if pid == "SMmany-5-0" {
				if _, err := s.FindInboundByProviderID(ctx, pid); panel.ErrorCode(err) != panel.ENOTFOUND {
					t.Errorf("%s: got %v, want it not stored after decide failed", pid, err)
				}
				continue
			}
			if fresh != 1 || len(replies) != 1 {
				t.Errorf("%s: %d first deliveries, replies %v; want one, and one reply for both", pid, fresh, replies)
			}
			m, err := s.FindInboundByProviderID(ctx, pid)
			if err != nil || m.State != panel.InboundHandled || !replies[m.Reply] {
				t.Errorf("%s: stored %+v, %v; want handled with the reply given", pid, m, err)
			}
			if n := calls[pid]; n != 1 && m != nil && m.RecipientID != stopper {
				t.Errorf("%s: decide ran %d times, want once", pid, n)
			}
			handled.Add(1)
		}
		if got, want := handled.Load(), int64(2*people-1); got != want {
			t.Errorf("got %d messages handled, want %d", got, want)
		}
		for i := range people {
			id := int64(i + 1)
			r, err := s.FindRecipient(ctx, id)
			if err != nil {
				t.Fatalf("FindRecipient %d: %v", id, err)
			}
			switch id {
			case stopper:
				if r.State != panel.RecipientOptedOut {
					t.Errorf("recipient %d: got state %s, want opted out", id, r.State)
				}
			default:
				// Two re-prompts, one per message, unless one message failed.
				want := 2
				if id == failing {
					want = 1
				}
				if got := repromptsOf(t, s, id); got != want {
					t.Errorf("recipient %d: got %d re-prompts after both messages, want %d", id, got, want)
				}
			}
		}
	})
}

// repromptsOf reads the re-prompt count of recipient id through the
// snapshot of a message from it, which is then not stored.
func repromptsOf(t *testing.T, s *store.Store, id int64) int {
	t.Helper()
	r, err := s.FindRecipient(context.Background(), id)
	if err != nil {
		t.Fatalf("FindRecipient %d: %v", id, err)
	}
	got := -1
	_, err = s.ProcessInbound(context.Background(), panel.InboundSMS{ProviderID: fmt.Sprintf("SMprobe-%d", id), From: r.Phone, Body: "?"},
		func(snap *panel.DialogueSnapshot) (*panel.DialogueOutcome, error) {
			got = snap.Reprompts
			return nil, errors.New("probe only")
		})
	if err == nil {
		t.Fatalf("probe of recipient %d was stored", id)
	}
	return got
}

// TestProcessInboundDecidePanics checks that a panic in decide, among
// messages handled at once, fails that message only.
func TestProcessInboundDecidePanics(t *testing.T) {
	storetest.Parallel(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		phones := []panel.Phone{"+4793000001", "+4793000002", "+4793000003", "+4793000004"}
		inboundCampaign(t, s, "panics", panel.CampaignSending, panel.RecipientInvited, phones...)
		errs := make([]error, len(phones))
		var wg sync.WaitGroup
		for i, p := range phones {
			wg.Go(func() {
				_, errs[i] = s.ProcessInbound(ctx, panel.InboundSMS{ProviderID: fmt.Sprintf("SMpanic%d", i), From: p, Body: "ja"},
					func(snap *panel.DialogueSnapshot) (*panel.DialogueOutcome, error) {
						if i == 0 {
							panic("decide bug")
						}
						return &panel.DialogueOutcome{MessageState: panel.InboundHandled, Reply: "ok"}, nil
					})
			})
		}
		wg.Wait()
		for i, err := range errs {
			_, ferr := s.FindInboundByProviderID(ctx, fmt.Sprintf("SMpanic%d", i))
			switch {
			case i == 0 && (err == nil || panel.ErrorCode(ferr) != panel.ENOTFOUND):
				t.Errorf("message %d: got %v, stored: %v; want an error and nothing stored", i, err, ferr)
			case i > 0 && (err != nil || ferr != nil):
				t.Errorf("message %d: got %v, stored: %v; want it handled", i, err, ferr)
			}
		}
	})
}
