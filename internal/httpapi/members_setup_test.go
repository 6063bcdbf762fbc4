package httpapi

import (
	"log/slog"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/export"
	"github.com/citizenspanel/panel/internal/roster"
	"github.com/citizenspanel/panel/internal/store"
)

// testMembers returns the members, calls and export routes' dependencies
// on st, replacing through ds (nil: a new draw service on st), with times
// in Europe/Oslo, on the clock now (nil: the real one).
func testMembers(t testing.TB, st *store.Store, ds *draw.Service, now func() time.Time) *MemberDeps {
	t.Helper()
	if ds == nil {
		var err error
		if ds, err = draw.New(st, draw.Config{}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := roster.New(st, ds, roster.Config{Now: now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	x, err := export.New(st, st, loc)
	if err != nil {
		t.Fatal(err)
	}
	return &MemberDeps{Roster: r, Exports: x}
}
