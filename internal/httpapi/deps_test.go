package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/inbox"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// complete fills the route groups d leaves unset with real services on a
// fresh SQLite store (and noInvitations), so a test builds a server with
// only the parts it exercises, and NewServer still gets every dependency.
func complete(t testing.TB, d Deps) Deps {
	t.Helper()
	var st *store.Store
	fresh := func() *store.Store {
		if st == nil {
			st = storetest.Open(t, storetest.SQLite(t))
		}
		return st
	}
	if d.Replies == nil {
		d.Replies = testReplies(t)
	}
	if d.Draws == nil {
		d.Draws = testDrawService(t)
	}
	if d.Meetings == nil {
		d.Meetings = &MeetingDeps{Store: fresh()}
	}
	if d.Purge == nil {
		d.Purge = fresh()
	}
	if d.Invitations == nil {
		d.Invitations = noInvitations{}
	}
	if d.Idempotency == nil {
		d.Idempotency = fresh()
	}
	if d.TokenAdmin == nil {
		d.TokenAdmin = fresh()
	}
	if d.Schema == nil {
		d.Schema = fresh()
	}
	if d.Console == nil {
		d.Console = http.NotFoundHandler()
	}
	if d.Members == nil {
		d.Members = testMembers(t, fresh(), nil, nil)
	}
	if d.Recipients == nil {
		// The store the campaigns are in, so that lookups see them.
		if own, ok := d.Campaigns.(*store.Store); ok {
			d.Recipients = own
		} else {
			d.Recipients = fresh()
		}
	}
	return d
}

// testInbox returns the inbox service on st with the real reminder
// scheduler and draw service ds (nil: a new one on st) for members'
// replies.
func testInbox(t testing.TB, st *store.Store, ds *draw.Service) *inbox.Service {
	t.Helper()
	if ds == nil {
		var err error
		if ds, err = draw.New(st, draw.Config{}); err != nil {
			t.Fatal(err)
		}
	}
	sched, err := reminder.New(st, reminder.Config{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := inbox.New(st, sched, ds, inbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// newDraws returns a draw service on st whose worker runs (ticking hourly,
// so tests tick by hand) until the test ends, and is then waited for.
func newDraws(t testing.TB, st *store.Store, cfg draw.Config) *draw.Service {
	t.Helper()
	if cfg.Interval == 0 {
		cfg.Interval = time.Hour
	}
	ds, err := draw.New(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ds.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("draw worker: %v", err)
		}
	})
	return ds
}

// TestNewServerRequiresDeps: a missing dependency fails NewServer with a
// message naming it, rather than leaving its routes out.
func TestNewServerRequiresDeps(t *testing.T) {
	reg := prometheus.NewRegistry()
	full := func() Deps {
		return complete(t, Deps{Campaigns: &fakeCampaigns{}, Tokens: &fakeTokens{}, Audit: &fakeAudit{}, DB: &fakePinger{},
			Logger: slog.New(slog.DiscardHandler), Registerer: prometheus.NewRegistry(), Gatherer: reg})
	}
	tests := []struct {
		name    string
		edit    func(d *Deps)
		wantErr string // "" for none
	}{
		{"complete", func(*Deps) {}, ""},
		{"nothing", func(d *Deps) { *d = Deps{} }, "httpapi: missing dependencies: Deps.Campaigns, Deps.Tokens, Deps.Audit, Deps.DB, Deps.Logger, Deps.Registerer, Deps.Gatherer, Deps.Replies, Deps.Draws, Deps.Meetings, Deps.Purge, Deps.Invitations, Deps.Console, Deps.Idempotency, Deps.Schema, Deps.TokenAdmin, Deps.Members, Deps.Recipients"},
		{"no replies", func(d *Deps) { d.Replies = nil }, "httpapi: missing dependencies: Deps.Replies"},
		{"no draws", func(d *Deps) { d.Draws = nil }, "httpapi: missing dependencies: Deps.Draws"},
		{"no meetings", func(d *Deps) { d.Meetings = nil }, "httpapi: missing dependencies: Deps.Meetings"},
		{"meetings without store", func(d *Deps) { d.Meetings = &MeetingDeps{} }, "httpapi: missing dependencies: Deps.Meetings.Store"},
		{"no purge", func(d *Deps) { d.Purge = nil }, "httpapi: missing dependencies: Deps.Purge"},
		{"no invitations", func(d *Deps) { d.Invitations = nil }, "httpapi: missing dependencies: Deps.Invitations"},
		{"no members", func(d *Deps) { d.Members = nil }, "httpapi: missing dependencies: Deps.Members"},
		{"members without exports", func(d *Deps) { m := *d.Members; m.Exports = nil; d.Members = &m }, "httpapi: missing dependencies: Deps.Members.Exports"},
		{"no replies inbox", func(d *Deps) { r := *d.Replies; r.Inbox = nil; d.Replies = &r }, "httpapi: Replies needs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := full()
			tt.edit(&d)
			_, err := NewServer(d)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr)) {
				t.Errorf("got %v, want error %q", err, tt.wantErr)
			}
		})
	}
}
