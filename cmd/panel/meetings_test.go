package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestServeMeetingsWithScheduler runs serve with the reminder scheduler
// and the meeting and purge routes, and checks that it starts the
// scheduler after the migrations and stops it on shutdown, cleanly.
func TestServeMeetingsWithScheduler(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			db.SkipIfUnavailable(t)
			env := map[string]string{"PANEL_DATABASE_URL": db.URL, "PANEL_ADDR": "127.0.0.1:0", "PANEL_LOG_FORMAT": "json", "PANEL_TIMEZONE": "America/New_York"}
			org := createToken(t, env, panel.RoleOrganiser, "alice")
			aud := createToken(t, env, panel.RoleAuditor, "bob")
			svc := startServe(t, env)
			api := svc.url + "/api/v1"

			start := time.Now().AddDate(0, 1, 0).Truncate(time.Hour).UTC().Format(time.RFC3339)
			steps := []struct {
				name, method, url, token, body string
				wantStatus                     int
				wantInBody                     string
			}{
				{"create campaign", "POST", api + "/campaigns", org, `{"name":"Trondheim","invitation_text":"Hei!"}`, 201, `"id":1`},
				{"create meeting", "POST", api + "/campaigns/1/meetings", org, fmt.Sprintf(`{"title":"Samling 1","starts_at":%q}`, start), 201, `"kind":"7d@12:00"`},
				{"auditor may not create", "POST", api + "/campaigns/1/meetings", aud, fmt.Sprintf(`{"title":"x","starts_at":%q}`, start), 403, `"forbidden"`},
				{"list meetings", "GET", api + "/campaigns/1/meetings", aud, "", 200, `"reminders_sent":0`},
				{"meeting report", "GET", api + "/campaigns/1/meetings/1", aud, "", 200, `"members":[]`},
				{"policy in the time zone", "GET", api + "/campaigns/1/reminder-policy", aud, "", 200, `"time_zone":"America/New_York"`},
				{"purge before the end", "POST", api + "/campaigns/1/purge", org, "", 409, "the panel has not ended"},
				{"cancel meeting", "POST", api + "/campaigns/1/meetings/1/cancel", org, "", 200, `"revision":1`},
				{"purge while the campaign is open", "POST", api + "/campaigns/1/purge", org, "", 409, "is draft, not closed"},
				{"close", "POST", api + "/campaigns/1/close", org, "", 200, `"state":"closed"`},
				{"purge once closed", "POST", api + "/campaigns/1/purge", org, "", 200, `"scope":"campaign"`},
				{"shown as purged", "GET", api + "/campaigns/1", aud, "", 200, `"state":"purged"`},
				{"audit verifies", "GET", api + "/audit/verify", aud, "", 200, `"ok":true`},
			}
			for _, st := range steps {
				r := call(t, st.method, st.url, st.token, st.body)
				if r.status != st.wantStatus || !strings.Contains(string(r.body), st.wantInBody) {
					t.Errorf("%s: got %d %s, want %d with %s", st.name, r.status, r.body, st.wantStatus, st.wantInBody)
				}
			}

			if err := svc.stop(t); err != nil {
				t.Errorf("serve after cancel: got %v, want nil", err)
			}
			logs := svc.logs.String()
			order := []string{`"msg":"database opened"`, `"msg":"reminder scheduler started"`, `"msg":"erasure worker started"`, `"msg":"listening"`,
				`"msg":"shutting down"`, `"msg":"erasure worker stopped"`, `"msg":"reminder scheduler stopped"`}
			at := -1
			for _, want := range order {
				i := strings.Index(logs, want)
				if i < 0 || i < at {
					t.Errorf("serve logs: want %s after the lines before it (%v)", want, order)
				}
				at = i
			}
			if strings.Contains(logs, `"level":"ERROR"`) {
				t.Errorf("serve logged an error")
			}
			if t.Failed() {
				t.Logf("serve logs:\n%s", logs)
			}
		})
	}
}
