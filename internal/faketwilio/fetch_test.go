package faketwilio_test

import (
	"net/http"
	"testing"

	"github.com/citizenspanel/panel/internal/faketwilio"
)

func TestFetchCountsFaultsAndForget(t *testing.T) {
	t.Parallel()
	s, base, _ := start(t, faketwilio.Options{})
	_, m := create(t, s, base, "+4791234567", "")
	sid := m["sid"].(string)
	fetch := func(id string) (int, map[string]any) {
		status, _, out := do(t, s, http.MethodGet, base+"/2010-04-01/Accounts/"+s.AccountSID()+"/Messages/"+id+".json", nil, "", "")
		return status, out
	}

	s.FailFetchesNext(2, 429)
	for range 2 {
		if status, out := fetch(sid); status != 429 || out["code"] != float64(20429) {
			t.Errorf("fetch while failing: got %d %v, want 429 code 20429", status, out)
		}
	}
	s.FailFetchesNext(1, 503)
	if status, out := fetch(sid); status != 503 || out["code"] != float64(20503) {
		t.Errorf("fetch while failing: got %d %v, want 503 code 20503", status, out)
	}
	if status, out := fetch(sid); status != 200 || out["sid"] != sid {
		t.Errorf("fetch after the faults: got %d %v, want 200 and sid %s", status, out, sid)
	}
	if got := s.Fetches(sid); got != 4 {
		t.Errorf("got %d fetches of %s, want 4 (refused ones included)", got, sid)
	}

	if !s.Forget(sid) {
		t.Fatal("Forget: got false for a message that exists")
	}
	if s.Forget(sid) {
		t.Error("Forget again: got true, want false")
	}
	if status, out := fetch(sid); status != 404 || out["code"] != float64(20404) {
		t.Errorf("fetch of a forgotten message: got %d %v, want 404 code 20404", status, out)
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("got %d messages after Forget, want 0", n)
	}
	if got, total := s.Fetches(sid), s.TotalFetches(); got != 5 || total != 5 {
		t.Errorf("got %d fetches of %s and %d in all, want 5 and 5", got, sid, total)
	}
	s.Reset()
	if total := s.TotalFetches(); total != 0 {
		t.Errorf("after Reset: got %d fetches, want 0", total)
	}
}
