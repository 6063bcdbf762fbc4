package smssim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smssim"
)

// report is one status the gateway reported.
type report struct {
	id, status string
	code       int
}

// recorder collects reports.
type recorder struct {
	mu  sync.Mutex
	got []report
}

func (r *recorder) Report(_ context.Context, id, status string, code int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, report{id, status, code})
}

// clock advances one second per call.
func clock() func() time.Time {
	t := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

func TestSendReportsStatuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		outcome smssim.Outcome
		want    []string
	}{
		{"delivered", smssim.Outcome{Status: "delivered"}, []string{"queued/0", "sent/0", "delivered/0"}},
		{"undelivered", smssim.Outcome{Status: "undelivered", Code: 30003}, []string{"queued/0", "sent/0", "undelivered/30003"}},
		{"failed", smssim.Outcome{Status: "failed", Code: 30008}, []string{"queued/0", "failed/30008"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			g := smssim.New(smssim.Config{
				Report: rec.Report, Clock: clock(),
				Outcome: func(panel.OutboundSMS) smssim.Outcome { return tt.outcome },
			})
			receipt, err := g.Send(context.Background(), panel.OutboundSMS{To: "+4791234567", Body: "Hei"})
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if !strings.HasPrefix(receipt.ProviderID, "SIM") || len(receipt.ProviderID) != 35 || receipt.Status != "queued" {
				t.Errorf("got receipt %+v, want SIM and 32 hex digits, queued", receipt)
			}
			var got []string
			for _, r := range rec.got {
				if r.id != receipt.ProviderID {
					t.Errorf("got report for %q, want %q", r.id, receipt.ProviderID)
				}
				got = append(got, fmt.Sprintf("%s/%d", r.status, r.code))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got statuses %v, want %v", got, tt.want)
			}
			kept := g.Messages()
			if len(kept) != 1 || kept[0].Status != tt.outcome.Status || kept[0].ErrorCode != tt.outcome.Code || kept[0].Body != "Hei" {
				t.Errorf("got kept %+v, want the message with its final status", kept)
			}
		})
	}
}

func TestSendRefusals(t *testing.T) {
	t.Parallel()
	refusal := &panel.SendError{HTTPStatus: 400, Code: 21211, Message: "invalid number"}
	g := smssim.New(smssim.Config{Refuse: func(m panel.OutboundSMS) error {
		if m.To == "+4790000000" {
			return refusal
		}
		return nil
	}})
	tests := []struct {
		name     string
		msg      panel.OutboundSMS
		wantCode string
		wantSend *panel.SendError
	}{
		{"refused number", panel.OutboundSMS{To: "+4790000000", Body: "Hei"}, panel.EINTERNAL, refusal},
		{"no number", panel.OutboundSMS{Body: "Hei"}, panel.EINVALID, nil},
		{"no body", panel.OutboundSMS{To: "+4791234567"}, panel.EINVALID, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := g.Send(context.Background(), tt.msg)
			if code := panel.ErrorCode(err); code != tt.wantCode {
				t.Errorf("got code %q (%v), want %q", code, err, tt.wantCode)
			}
			var se *panel.SendError
			if tt.wantSend != nil && (!errors.As(err, &se) || se != tt.wantSend) {
				t.Errorf("got %v, want the refusal %v", err, tt.wantSend)
			}
		})
	}
	if got := g.Total(); got != 0 {
		t.Errorf("got %d accepted, want 0", got)
	}
}

func TestKeepsABoundedHistory(t *testing.T) {
	t.Parallel()
	g := smssim.New(smssim.Config{Capacity: 3, Clock: clock()})
	for i := range 5 {
		if _, err := g.Send(context.Background(), panel.OutboundSMS{To: panel.Phone(fmt.Sprintf("+47900000%02d", i)), Body: "Hei"}); err != nil {
			t.Fatal(err)
		}
	}
	kept := g.Messages()
	var to []string
	for _, m := range kept {
		to = append(to, string(m.To))
	}
	if want := []string{"+4790000002", "+4790000003", "+4790000004"}; fmt.Sprint(to) != fmt.Sprint(want) {
		t.Errorf("got kept %v, want the newest three oldest first %v", to, want)
	}
	if g.Total() != 5 || g.CountTo("+4790000000") != 0 || g.CountTo("+4790000004") != 1 {
		t.Errorf("got total %d, count of forgotten %d, of kept %d, want 5, 0, 1", g.Total(), g.CountTo("+4790000000"), g.CountTo("+4790000004"))
	}
}

func TestFindSent(t *testing.T) {
	t.Parallel()
	g := smssim.New(smssim.Config{Clock: clock()}) // 12:00:01, 12:00:02, ...
	send := func(to, body string) string {
		r, err := g.Send(context.Background(), panel.OutboundSMS{To: panel.Phone(to), Body: body})
		if err != nil {
			t.Fatal(err)
		}
		return r.ProviderID
	}
	first := send("+4791111111", "one")
	send("+4792222222", "other number")
	third := send("+4791111111", "two")
	tests := []struct {
		name  string
		since time.Time
		want  []string
	}{
		{"all, newest first", time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), []string{third, first}},
		{"since is inclusive", time.Date(2026, 11, 25, 12, 0, 3, 0, time.UTC), []string{third}},
		{"none after", time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found, err := g.FindSent(context.Background(), "+4791111111", tt.since)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, m := range found {
				ids = append(ids, m.ProviderID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", ids, tt.want)
			}
		})
	}
}

func TestIDsComeFromTheRandomSource(t *testing.T) {
	t.Parallel()
	g := smssim.New(smssim.Config{Random: bytes.NewReader(bytes.Repeat([]byte{0xab}, 16))})
	r, err := g.Send(context.Background(), panel.OutboundSMS{To: "+4791234567", Body: "Hei"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "SIM" + strings.Repeat("ab", 16); r.ProviderID != want {
		t.Errorf("got %q, want %q", r.ProviderID, want)
	}
	if _, err := g.Send(context.Background(), panel.OutboundSMS{To: "+4791234567", Body: "Hei"}); err == nil {
		t.Errorf("got no error with the random source exhausted, want one")
	}
}

func TestStatusReturnsTheLatestStatus(t *testing.T) {
	t.Parallel()
	g := smssim.New(smssim.Config{
		Clock: clock(), Capacity: 1,
		Outcome: func(panel.OutboundSMS) smssim.Outcome { return smssim.Outcome{Status: "undelivered", Code: 30005} },
	})
	first, err := g.Send(context.Background(), panel.OutboundSMS{To: "+4791234567", Body: "Hei"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	got, err := g.Status(context.Background(), first.ProviderID)
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	if got.ProviderID != first.ProviderID || got.Status != "undelivered" || got.ErrorCode != 30005 || got.To != "+4791234567" {
		t.Errorf("got %+v, want %s undelivered with code 30005 to the number", got, first.ProviderID)
	}
	// Capacity 1: the next message pushes the first out of memory.
	if _, err := g.Send(context.Background(), panel.OutboundSMS{To: "+4791234568", Body: "Hei"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	for _, id := range []string{first.ProviderID, "SIMunknown"} {
		if _, err := g.Status(context.Background(), id); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("Status(%s): got %v, want ENOTFOUND", id, err)
		}
	}
	if _, err := g.Status(context.Background(), ""); panel.ErrorCode(err) != panel.EINVALID {
		t.Errorf("Status(\"\"): got %v, want EINVALID", err)
	}
}

func TestDeleteMessage(t *testing.T) {
	t.Parallel()
	g := smssim.New(smssim.Config{})
	ctx := context.Background()
	a, err := g.Send(ctx, panel.OutboundSMS{To: "+4791000001", Body: "Hei"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	b, err := g.Send(ctx, panel.OutboundSMS{To: "+4791000002", Body: "Hei"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if err := g.DeleteMessage(ctx, a.ProviderID); err != nil {
		t.Fatalf("DeleteMessage: %v", err)
	}
	if _, err := g.Status(ctx, a.ProviderID); panel.ErrorCode(err) != panel.ENOTFOUND {
		t.Errorf("Status of the deleted message: got %v, want ENOTFOUND", err)
	}
	if err := g.DeleteMessage(ctx, a.ProviderID); panel.ErrorCode(err) != panel.ENOTFOUND {
		t.Errorf("deleting it again: got %v, want ENOTFOUND", err)
	}
	if err := g.DeleteMessage(ctx, ""); panel.ErrorCode(err) != panel.EINVALID {
		t.Errorf("empty id: got %v, want EINVALID", err)
	}
	if got := g.Messages(); len(got) != 1 || got[0].ProviderID != b.ProviderID {
		t.Errorf("kept: got %+v, want only %s", got, b.ProviderID)
	}
}
