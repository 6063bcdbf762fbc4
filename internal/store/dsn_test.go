package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
)

func TestOpenRejectsBadURLs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name     string
		url      string
		wantCode string
		wantIn   string
	}{
		{"no scheme", "panel.db", panel.EINVALID, "PANEL_DATABASE_URL must start with sqlite: or postgres://"},
		{"unknown scheme", "mysql://root@localhost/panel", panel.EINVALID, `PANEL_DATABASE_URL scheme "mysql" is not supported`},
		{"empty sqlite path", "sqlite:", panel.EINVALID, "PANEL_DATABASE_URL sqlite: needs a file path"},
		{"memory", "sqlite::memory:", panel.EINVALID, "sqlite::memory: is not supported"},
		{"missing directory", "sqlite:" + filepath.Join(dir, "nope", "panel.db"), panel.EINVALID, "its directory"},
		{"refused", "postgres://postgres@127.0.0.1:1/panel?sslmode=disable&connect_timeout=2", panel.EUNAVAILABLE, "database unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := store.Open(context.Background(), tt.url, nil)
			if err == nil {
				s.Close()
				t.Fatalf("got no error, want %s", tt.wantCode)
			}
			if code, msg := panel.ErrorCode(err), panel.ErrorMessage(err); code != tt.wantCode || !strings.Contains(msg, tt.wantIn) {
				t.Errorf("got %q %q, want %q containing %q", code, msg, tt.wantCode, tt.wantIn)
			}
		})
	}
}

func TestOpenSQLiteForms(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name, url, wantFile string
	}{
		{"relative to an absolute dir", "sqlite:" + filepath.Join(dir, "a.db"), filepath.Join(dir, "a.db")},
		{"triple slash", "sqlite://" + filepath.Join(dir, "b.db"), filepath.Join(dir, "b.db")},
		{"own parameters", "sqlite:" + filepath.Join(dir, "c.db") + "?_pragma=cache_size(-4000)", filepath.Join(dir, "c.db")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, err := store.Open(ctx, tt.url, nil)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			if s.Dialect() != store.DialectSQLite {
				t.Errorf("got dialect %q, want sqlite", s.Dialect())
			}
			if _, err := os.Stat(tt.wantFile); err != nil {
				t.Errorf("database file: %v", err)
			}
		})
	}
}
