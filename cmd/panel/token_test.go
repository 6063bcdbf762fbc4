package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestTokenLifecycle: tokens issued by the CLI and the API work until they
// are revoked (by name on the CLI, by id or name through the API) or
// expire, and a running service refuses them from the next request on.
// Auditors may not manage tokens.
func TestTokenLifecycle(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			db.SkipIfUnavailable(t)
			env := map[string]string{"PANEL_DATABASE_URL": db.URL, "PANEL_ADDR": "127.0.0.1:0", "PANEL_LOG_LEVEL": "error"}
			org := createToken(t, env, panel.RoleOrganiser, "alice")
			bob := createToken(t, env, panel.RoleAuditor, "bob")
			svc := startServe(t, env)
			api := svc.url + "/api/v1"
			works := func(what, tok string, want int) {
				t.Helper()
				if r := call(t, "GET", api+"/campaigns", tok, ""); r.status != want {
					t.Errorf("%s: GET /campaigns got %d %s, want %d", what, r.status, r.body, want)
				}
			}
			works("bob before", bob, 200)
			if r := call(t, "GET", api+"/tokens", bob, ""); r.status != 403 {
				t.Errorf("auditor lists tokens: got %d, want 403", r.status)
			}

			// Through the API: one with an expiry a second away, one to revoke by id.
			exp := time.Now().Add(1500 * time.Millisecond).UTC().Format(time.RFC3339Nano)
			var short, grafana struct {
				ID     int64
				Secret string
				Name   string
			}
			r := call(t, "POST", api+"/tokens", org, fmt.Sprintf(`{"role":"auditor","name":"short","expires_at":%q}`, exp))
			if r.status != 201 {
				t.Fatalf("create short token: %d %s", r.status, r.body)
			}
			r.json(t, &short)
			r = call(t, "POST", api+"/tokens", org, `{"role":"auditor","name":"grafana"}`)
			if r.status != 201 {
				t.Fatalf("create grafana token: %d %s", r.status, r.body)
			}
			r.json(t, &grafana)
			if !strings.HasPrefix(grafana.Secret, "pnl_") || grafana.Name != "grafana" {
				t.Errorf("created token: got %+v, want a pnl_ secret", grafana)
			}
			if r := call(t, "POST", api+"/tokens", org, `{"role":"auditor","name":"old","expires_at":"2001-01-01T00:00:00Z"}`); r.status != 422 {
				t.Errorf("expiry in the past: got %d %s, want 422", r.status, r.body)
			}
			works("short before expiry", short.Secret, 200)
			works("grafana", grafana.Secret, 200)

			if r := call(t, "POST", fmt.Sprintf("%s/tokens/%d/revoke", api, grafana.ID), org, ""); r.status != 200 || !strings.Contains(string(r.body), `"revoked_at"`) {
				t.Errorf("revoke grafana: got %d %s", r.status, r.body)
			}
			works("grafana after revocation", grafana.Secret, 401)

			// On the command line, while the service runs.
			stdout, stderr, err := runCmd(t, env, "token", "revoke", "--name", "bob")
			if err != nil || !strings.Contains(stdout, "bob") || !strings.Contains(stdout, "revoked") {
				t.Fatalf("token revoke --name bob: %q, %v\n%s", stdout, err, stderr)
			}
			works("bob after CLI revocation", bob, 401)
			stdout, _, err = runCmd(t, env, "token", "list")
			if err != nil {
				t.Fatalf("token list: %v", err)
			}
			for _, want := range []string{"alice", "bob", "grafana", "short", "organiser", "auditor", "revoked"} {
				if !strings.Contains(stdout, want) {
					t.Errorf("token list: want %q in\n%s", want, stdout)
				}
			}
			if strings.Contains(stdout, org) || strings.Contains(stdout, "pnl_") {
				t.Errorf("token list shows a secret:\n%s", stdout)
			}
			time.Sleep(1600 * time.Millisecond) // past the expiry set 1.5 s after the start
			works("short after expiry", short.Secret, 401)

			// By name through the API; nothing left to revoke is 404.
			if r := call(t, "POST", api+"/tokens/revoke", org, `{"name":"short"}`); r.status != 200 {
				t.Errorf("revoke short by name: got %d %s", r.status, r.body)
			}
			if r := call(t, "POST", api+"/tokens/revoke", org, `{"name":"short"}`); r.status != 404 {
				t.Errorf("revoke short again: got %d %s, want 404", r.status, r.body)
			}
			var list struct{ Tokens []panel.Token }
			call(t, "GET", api+"/tokens", org, "").json(t, &list)
			if len(list.Tokens) != 4 {
				t.Errorf("GET /tokens: got %d tokens, want 4", len(list.Tokens))
			}
			var audit struct{ Events []panel.AuditEvent }
			call(t, "GET", api+"/audit?limit=1000", org, "").json(t, &audit)
			actions := map[string]int{}
			for _, e := range audit.Events {
				actions[e.Action]++
			}
			if actions["token.revoked"] != 3 || actions["token.created"] != 4 {
				t.Errorf("audit: got %v, want 4 token.created and 3 token.revoked", actions)
			}
		})
	}
}
