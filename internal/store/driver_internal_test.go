package store

import (
	"slices"
	"sync"
	"testing"
	"time"
)

func TestPostgresRebind(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"none", "SELECT 1", "SELECT 1"},
		{"in order", "a = ? AND b IN (?, ?)", "a = $1 AND b IN ($2, $3)"},
		{"quoted marks stay", `x = '?' AND "?" = ? AND y = ?`, `x = '?' AND "?" = $1 AND y = $2`},
		{"escaped quote", "x = 'it''s ?' AND y = ?", "x = 'it''s ?' AND y = $1"},
		{"non-ASCII kept", "navn = 'Ærlig ø?' AND z = ?", "navn = 'Ærlig ø?' AND z = $1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cached := postgresDriver{rebound: &sync.Map{}}
			for _, d := range []postgresDriver{{}, cached, cached} {
				if got := d.rebind(tt.in); got != tt.want {
					t.Errorf("got %q, want %q", got, tt.want)
				}
			}
			if got := (sqliteDriver{}).rebind(tt.in); got != tt.in {
				t.Errorf("sqlite: got %q, want it unchanged", got)
			}
		})
	}
}

func TestProjection(t *testing.T) {
	type row struct {
		ID         int64
		ProviderID *string
		Attributes string `col:"CAST(r.attributes AS TEXT)"`
		ReceivedAt time.Time
		hidden     int //lint:ignore U1000 an unexported field is no column
	}
	cs := projection[row]()
	if got, want := cs.list(), "id, provider_id, CAST(r.attributes AS TEXT), received_at"; got != want {
		t.Errorf("list: got %q, want %q", got, want)
	}
	if got, want := cs.from(1).insert("t"), "INSERT INTO t (provider_id, CAST(r.attributes AS TEXT), received_at) VALUES (?, ?, ?)"; got != want {
		t.Errorf("insert: got %q, want %q", got, want)
	}
	pid := "SM1"
	r := row{ID: 7, ProviderID: &pid, Attributes: "{}"}
	vals := cs.values(&r)
	if len(vals) != 4 || vals[0] != int64(7) || vals[1] != &pid || vals[2] != "{}" {
		t.Errorf("values: got %v", vals)
	}
	dests := cs.dests(&r)
	*(dests[0].(*int64)) = 9
	*(dests[2].(*string)) = `{"a":1}`
	if r.ID != 9 || r.Attributes != `{"a":1}` {
		t.Errorf("dests do not point at the fields: got %+v", r)
	}
	if !slices.Equal(cs.exprs, projection[row]().exprs) {
		t.Errorf("projection is not stable")
	}
}
