package main

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

// BenchmarkServeSQLite measures whole requests over loopback HTTP against
// "panel serve" on a SQLite file: authentication, the store, the audit
// chain and JSON included.
func BenchmarkServeSQLite(b *testing.B) {
	env := map[string]string{
		"PANEL_DATABASE_URL": "sqlite:" + filepath.Join(b.TempDir(), "panel.db"),
		"PANEL_ADDR":         "127.0.0.1:0",
		"PANEL_LOG_LEVEL":    "error",
	}
	token := createToken(b, env, panel.RoleOrganiser, "bench")
	svc := startServe(b, env)
	api := svc.url + "/api/v1/campaigns"
	b.Run("create campaign", func(b *testing.B) {
		n := 0
		for b.Loop() {
			n++
			body := fmt.Sprintf(`{"name":"bench %d %d","invitation_text":"Hei"}`, b.N, n)
			if r := call(b, "POST", api, token, body); r.status != 201 {
				b.Fatalf("create: got %d, want 201 (%s)", r.status, r.body)
			}
		}
	})
	b.Run("get campaign", func(b *testing.B) {
		for b.Loop() {
			if r := call(b, "GET", api+"/1", token, ""); r.status != 200 {
				b.Fatalf("get: got %d, want 200", r.status)
			}
		}
	})
	b.Run("readyz", func(b *testing.B) {
		for b.Loop() {
			if r := call(b, "GET", svc.url+"/readyz", "", ""); r.status != 200 {
				b.Fatalf("readyz: got %d, want 200", r.status)
			}
		}
	})
	if err := svc.stop(b); err != nil {
		b.Errorf("serve: %v", err)
	}
}
