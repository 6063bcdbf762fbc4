package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestImportLimits: the recipient import is refused with 413 naming the
// route's body limit, before reading a declared length and mid-stream for
// a chunked body, and a request stopped by its time limit answers 503
// naming that limit, never "database unavailable" while the database is
// fine. Nothing is stored in either case.
func TestImportLimits(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		small := setupInvite(t, st) // its body limit made 1 MiB before any request
		small.s.setBodyLimit(http.MethodPost, recipientsRoute, 1<<20)
		e := setupInviteWith(t, st, func(d *Deps) { d.ImportTimeout = 50 * time.Millisecond })
		id := e.campaign(t, "limits")
		path := fmt.Sprintf("/api/v1/campaigns/%d/recipients", id)

		// A declared length over the limit: refused before anything is read.
		req, err := http.NewRequest("POST", e.url+path, strings.NewReader("phone\n"))
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = RecipientsBodyLimit + 1
		req.Header.Set("Authorization", "Bearer "+e.org)
		req.Header.Set("Content-Type", "text/csv")
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		// The server answers before the body it declared arrives; the
		// client may see the answer or the closed connection.
		if err == nil && res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("declared length over the limit: got %d, want 413", res.StatusCode)
		}

		// A chunked body that outgrows the limit while it streams.
		r := small.do(t, "POST", path, e.org, onlyReader{&csvRows{n: 60000}}, "Content-Type", "text/csv")
		if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(string(r.body), "limit of 1048576 bytes (1 MiB)") {
			t.Fatalf("chunked body over the limit: got %d %s, want 413 naming 1 MiB", r.status, r.body)
		}

		// The time limit of imports, made short: the answer names it.
		r = e.do(t, "POST", path, e.org, &csvRows{n: 30000}, "Content-Type", "text/csv")
		msg := string(r.body)
		if r.status != http.StatusServiceUnavailable || !strings.Contains(msg, "took longer than its time limit of 50ms") || strings.Contains(msg, "database") {
			t.Fatalf("import over its time limit: got %d %s, want 503 naming the 50ms limit", r.status, msg)
		}
		if got := e.stats(t, id).Recipients; got != 0 {
			t.Errorf("got %d recipients stored, want none", got)
		}
	})
}

// TestIdempotentLargeImport: a recipient file over the in-memory spool
// limit sent twice with one Idempotency-Key is imported once, the second
// answer replayed.
func TestIdempotentLargeImport(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		e := setupInvite(t, st)
		id := e.campaign(t, "idempotent")
		path := fmt.Sprintf("/api/v1/campaigns/%d/recipients", id)
		var first response
		for i := range 2 {
			r := e.do(t, "POST", path, e.org, &csvRows{n: 40000}, "Content-Type", "text/csv", IdempotencyHeader, "big-1")
			if r.status != 200 || !strings.Contains(string(r.body), `"imported":40000`) {
				t.Fatalf("import %d: got %d %.300s, want 40000 imported", i+1, r.status, r.body)
			}
			if i == 0 {
				first = r
				continue
			}
			if r.header.Get("Idempotent-Replayed") != "true" || string(r.body) != string(first.body) {
				t.Fatalf("repeat: got %q %s, want the first answer replayed", r.header.Get("Idempotent-Replayed"), r.body)
			}
		}
		if got := e.stats(t, id).Recipients; got != 40000 {
			t.Errorf("got %d recipients, want 40000", got)
		}
	})
}
