package main

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// outageWait is how long the service may take to notice a change in the
// database's reachability. It is a ceiling for a polling loop, not a
// measured figure.
const outageWait = 15 * time.Second

// TestPostgresOutage cuts the service's connection to PostgreSQL with a TCP
// proxy and restores it, without restarting the service (the shared server
// itself is never stopped).
func TestPostgresOutage(t *testing.T) {
	db := storetest.Postgres(t)
	db.SkipIfUnavailable(t)
	u, err := url.Parse(db.URL)
	if err != nil {
		t.Fatalf("database URL: %v", err)
	}
	proxy := newProxy(t, u.Host)
	u.Host = proxy.addr
	env := map[string]string{"PANEL_DATABASE_URL": u.String(), "PANEL_ADDR": "127.0.0.1:0", "PANEL_LOG_LEVEL": "error"}
	token := createToken(t, env, panel.RoleOrganiser, "alice")
	svc := startServe(t, env)
	campaigns := svc.url + "/api/v1/campaigns"
	ready := svc.url + "/readyz"

	// expect polls until both readyz and the campaign list answer status
	// with the given error code ("" for success).
	expect := func(phase string, status int, code string) {
		t.Helper()
		start := time.Now()
		deadline := start.Add(outageWait)
		var last string
		for {
			ok := true
			for _, target := range []string{ready, campaigns} {
				r, err := tryCall("GET", target, token, "")
				if err != nil || r.status != status || r.errorCode() != code {
					ok = false
					last = fmt.Sprintf("GET %s: status %d body %s err %v", target, r.status, r.body, err)
				}
			}
			if ok {
				t.Logf("%s: status %d after %s", phase, status, time.Since(start).Round(time.Millisecond))
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: want status %d code %q from /readyz and %s within %s; last: %s\nlogs:\n%s",
					phase, status, code, campaigns, outageWait, last, svc.logs)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	expect("before the outage", 200, "")
	proxy.cut()
	expect("during the outage", 503, "unavailable")
	proxy.restore(t)
	expect("after the outage", 200, "")
	if r := call(t, "POST", campaigns, token, `{"name":"after","invitation_text":"x"}`); r.status != 201 {
		t.Errorf("create after the outage: got %d, want 201 (%s)", r.status, r.body)
	}
	if err := svc.stop(t); err != nil {
		t.Errorf("serve after cancel: got %v, want nil", err)
	}
}
