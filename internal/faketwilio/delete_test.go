package faketwilio_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/faketwilio"
)

func TestDeleteRemovesTheMessage(t *testing.T) {
	t.Parallel()
	s, base, _ := start(t, faketwilio.Options{})
	_, kept := create(t, s, base, "+4791234568", "")
	_, m := create(t, s, base, "+4791234567", "")
	sid := m["sid"].(string)
	url := func(id string) string {
		return base + "/2010-04-01/Accounts/" + s.AccountSID() + "/Messages/" + id + ".json"
	}

	// Twilio refuses while a message is in progress (here: its first
	// status change is an hour away).
	slow, sbase, _ := start(t, faketwilio.Options{Callbacks: faketwilio.CallbackOptions{Delay: time.Hour}})
	_, q := create(t, slow, sbase, "+4791234569", "")
	qurl := sbase + "/2010-04-01/Accounts/" + slow.AccountSID() + "/Messages/" + q["sid"].(string) + ".json"
	if status, _, out := do(t, slow, http.MethodDelete, qurl, nil, "", ""); status != 409 || out["code"] != float64(20009) {
		t.Errorf("delete of a queued message: got %d %v, want 409 code 20009", status, out)
	}
	waitFinal(t, s, sid)

	s.FailDeletesNext(1, 503)
	if status, _, out := do(t, s, http.MethodDelete, url(sid), nil, "", ""); status != 503 || out["code"] != float64(20503) {
		t.Errorf("delete while failing: got %d %v, want 503 code 20503", status, out)
	}
	if _, ok := s.Message(sid); !ok {
		t.Fatal("a refused delete removed the message")
	}
	tests := []struct {
		name       string
		id         string
		user, pass string
		wantStatus int
	}{
		{"wrong credentials", sid, s.AccountSID(), "wrong", 401},
		{"the message", sid, "", "", 204},
		{"again", sid, "", "", 404},
		{"unknown", "SM00000000000000000000000000000000", "", "", 404},
	}
	for _, tt := range tests {
		status, _, _ := do(t, s, http.MethodDelete, url(tt.id), nil, tt.user, tt.pass)
		if status != tt.wantStatus {
			t.Errorf("%s: got %d, want %d", tt.name, status, tt.wantStatus)
		}
	}
	if _, ok := s.Message(sid); ok {
		t.Error("the deleted message is still there")
	}
	if status, _, _ := do(t, s, http.MethodGet, url(sid), nil, "", ""); status != 404 {
		t.Errorf("fetch of the deleted message: got %d, want 404", status)
	}
	if got := s.Messages(); len(got) != 1 || got[0].SID != kept["sid"] {
		t.Errorf("messages left: got %+v, want only %v", got, kept["sid"])
	}
	if got := s.Deleted(); !slices.Equal(got, []string{sid}) {
		t.Errorf("Deleted: got %v, want [%s]", got, sid)
	}
}

// waitFinal waits until the message is no longer in progress.
func waitFinal(t *testing.T, s *faketwilio.Server, sid string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if m, ok := s.Message(sid); ok {
			switch m.Status {
			case "sent", "delivered", "undelivered", "failed":
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("message %s is still in progress", sid)
}
