package main

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// idemCall sends one request with an Idempotency-Key.
func idemCall(t *testing.T, method, url, token, ctype, body, key string) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Idempotency-Key", key)
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: res.StatusCode, header: res.Header, body: b}
}

// TestIdempotencyKey: on both databases, a creating call repeated with
// its Idempotency-Key answers the first result and creates nothing, also
// when the repeats arrive at once; the key with another body is 422;
// another token's same key is its own.
func TestIdempotencyKey(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			db.SkipIfUnavailable(t)
			env := map[string]string{"PANEL_DATABASE_URL": db.URL, "PANEL_ADDR": "127.0.0.1:0", "PANEL_LOG_LEVEL": "error"}
			org := createToken(t, env, panel.RoleOrganiser, "alice")
			org2 := createToken(t, env, panel.RoleOrganiser, "kari")
			svc := startServe(t, env)
			api := svc.url + "/api/v1"
			const js = "application/json"
			countOf := func(path, field string) int {
				t.Helper()
				r := call(t, "GET", api+path, org, "")
				var m map[string]any
				r.json(t, &m)
				list, _ := m[field].([]any)
				return len(list)
			}

			body := `{"name":"Trondheim","invitation_text":"Hei"}`
			first := idemCall(t, "POST", api+"/campaigns", org, js, body, "camp-1")
			if first.status != 201 {
				t.Fatalf("create: %d %s", first.status, first.body)
			}
			again := idemCall(t, "POST", api+"/campaigns", org, js, body, "camp-1")
			if again.status != 201 || string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("repeat: got %d %s (replayed %q), want the first answer %s", again.status, again.body, again.header.Get("Idempotent-Replayed"), first.body)
			}
			if r := idemCall(t, "POST", api+"/campaigns", org, js, `{"name":"Other","invitation_text":"Hei"}`, "camp-1"); r.status != 422 || !strings.Contains(string(r.body), "different request") {
				t.Errorf("same key, other body: got %d %s, want 422", r.status, r.body)
			}
			// Campaign names are unique, so the other token's call names another.
			if r := idemCall(t, "POST", api+"/campaigns", org2, js, `{"name":"Bergen","invitation_text":"Hei"}`, "camp-1"); r.status != 201 {
				t.Errorf("another token's key: got %d %s, want a campaign of its own", r.status, r.body)
			}
			if n := countOf("/campaigns", "campaigns"); n != 2 {
				t.Errorf("campaigns: got %d, want 2", n)
			}

			// Four identical meeting creates at once make one meeting.
			meeting := `{"title":"Første møte","starts_at":"2027-01-20T18:00:00+01:00","place":"Rådhuset"}`
			var wg sync.WaitGroup
			replies := make([]reply, 4)
			for i := range replies {
				wg.Add(1)
				go func() {
					defer wg.Done()
					replies[i] = idemCall(t, "POST", api+"/campaigns/1/meetings", org, js, meeting, "meet-1")
				}()
			}
			wg.Wait()
			for i, r := range replies {
				if r.status != 201 || string(r.body) != string(replies[0].body) {
					t.Errorf("concurrent meeting create %d: got %d %s, want 201 %s", i, r.status, r.body, replies[0].body)
				}
			}
			if n := countOf("/campaigns/1/meetings", "meetings"); n != 1 {
				t.Errorf("meetings after 4 identical creates: got %d, want 1", n)
			}

			// An import repeated imports once.
			csv := "phone,gender\n+4791234567,kvinne\n+4791234568,mann\n"
			a := idemCall(t, "POST", api+"/campaigns/1/recipients", org, "text/csv", csv, "imp-1")
			b := idemCall(t, "POST", api+"/campaigns/1/recipients", org, "text/csv", csv, "imp-1")
			if a.status != 200 || b.status != 200 || string(a.body) != string(b.body) {
				t.Errorf("import twice: got %d %s and %d %s, want the same 200", a.status, a.body, b.status, b.body)
			}
			var stats panel.CampaignStats
			call(t, "GET", api+"/campaigns/1/stats", org, "").json(t, &stats)
			if stats.Recipients != 2 {
				t.Errorf("recipients: got %d, want 2", stats.Recipients)
			}

			// Every creating call takes the header: the key's second use with
			// another body is refused whatever the first answer was.
			for _, rt := range []struct{ path, ctype, a, b string }{
				{"/campaigns/1/volunteers", "text/csv", "id,gender\nv1,kvinne\n", "id,gender\nv2,mann\n"},
				{"/campaigns/1/draws", js, `{"seats":1}`, `{"seats":2}`},
			} {
				key := "k" + rt.path
				first := idemCall(t, "POST", api+rt.path, org, rt.ctype, rt.a, key)
				if first.status >= 500 {
					t.Errorf("%s: got %d %s", rt.path, first.status, first.body)
				}
				if r := idemCall(t, "POST", api+rt.path, org, rt.ctype, rt.a, key); r.status != first.status || string(r.body) != string(first.body) {
					t.Errorf("%s repeated: got %d %s, want %d %s", rt.path, r.status, r.body, first.status, first.body)
				}
				if r := idemCall(t, "POST", api+rt.path, org, rt.ctype, rt.b, key); r.status != 422 {
					t.Errorf("%s, key reused with another body: got %d %s, want 422", rt.path, r.status, r.body)
				}
			}
			if r := idemCall(t, "POST", api+"/campaigns", org, js, body, strings.Repeat("x", 300)); r.status != 422 {
				t.Errorf("overlong key: got %d, want 422", r.status)
			}
		})
	}
}
