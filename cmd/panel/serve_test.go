package main

import (
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestServeEndToEnd runs the real binary's run function against each
// database, over real HTTP.
func TestServeEndToEnd(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			db.SkipIfUnavailable(t)
			env := map[string]string{"PANEL_DATABASE_URL": db.URL, "PANEL_ADDR": "127.0.0.1:0", "PANEL_LOG_FORMAT": "json"}
			org := createToken(t, env, panel.RoleOrganiser, "alice")
			aud := createToken(t, env, panel.RoleAuditor, "bob")
			svc := startServe(t, env)
			api := svc.url + "/api/v1"

			steps := []struct {
				name, method, url, token, body string
				wantStatus                     int
				wantCode                       string // error code, for error answers
				wantInBody                     string
			}{
				{"healthz", "GET", svc.url + "/healthz", "", "", 200, "", `"ok"`},
				{"readyz", "GET", svc.url + "/readyz", "", "", 200, "", `"ready"`},
				{"openapi without token", "GET", api + "/openapi.json", "", "", 200, "", `"openapi"`},
				{"create campaign", "POST", api + "/campaigns", org, `{"name":"Trondheim 2026","invitation_text":"Hei! Vil du være med?","send_rate":5}`, 201, "", `"id":1`},
				{"get campaign", "GET", api + "/campaigns/1", aud, "", 200, "", `"name":"Trondheim 2026"`},
				{"list campaigns", "GET", api + "/campaigns?state=draft", aud, "", 200, "", `"total":1`},
				{"missing campaign", "GET", api + "/campaigns/42", org, "", 404, "not_found", ""},
				{"bad campaign id", "GET", api + "/campaigns/x", org, "", 400, "invalid", "campaign id"},
				{"auditor may not create", "POST", api + "/campaigns", aud, `{"name":"x","invitation_text":"y"}`, 403, "forbidden", ""},
				{"no token", "GET", api + "/campaigns", "", "", 401, "unauthorized", ""},
				{"wrong token", "GET", api + "/campaigns", "pnl_wrong", "", 401, "unauthorized", ""},
				{"bad json", "POST", api + "/campaigns", org, `{"name":`, 400, "invalid", "malformed JSON"},
				{"bad field", "POST", api + "/campaigns", org, `{"name":"x","invitation_text":"y","send_rate":-1}`, 422, "invalid", "send_rate"},
				{"unknown field", "POST", api + "/campaigns", org, `{"name":"x","invitation_text":"y","rate":1}`, 422, "invalid", `unknown field \"rate\"`},
				{"duplicate name", "POST", api + "/campaigns", org, `{"name":"Trondheim 2026","invitation_text":"y"}`, 409, "conflict", ""},
				{"wrong method", "DELETE", api + "/campaigns/1", org, "", 405, "method_not_allowed", ""},
				{"audit log", "GET", api + "/audit?subject=campaign/1", aud, "", 200, "", `"action":"campaign.created"`},
				{"audit verifies", "GET", api + "/audit/verify", aud, "", 200, "", `{"ok":true,"events":3}`},
				{"metrics", "GET", svc.url + "/metrics", "", "", 200, "", `panel_http_requests_total{method="POST",route="/api/v1/campaigns",status="201"} 1`},
			}
			for _, st := range steps {
				r := call(t, st.method, st.url, st.token, st.body)
				if r.status != st.wantStatus {
					t.Errorf("%s: status got %d, want %d (body %s)", st.name, r.status, st.wantStatus, r.body)
					continue
				}
				if got := r.errorCode(); got != st.wantCode {
					t.Errorf("%s: error code got %q, want %q (body %s)", st.name, got, st.wantCode, r.body)
				}
				if !strings.Contains(string(r.body), st.wantInBody) {
					t.Errorf("%s: body %s, want it to contain %s", st.name, r.body, st.wantInBody)
				}
			}

			var ev struct {
				Events []panel.AuditEvent `json:"events"`
			}
			call(t, "GET", api+"/audit?subject=campaign/1", org, "").json(t, &ev)
			if len(ev.Events) != 1 || ev.Events[0].Actor != "alice" {
				t.Errorf("audit events for campaign/1: got %+v, want one by alice", ev.Events)
			}

			if err := svc.stop(t); err != nil {
				t.Errorf("serve after cancel: got %v, want nil", err)
			}
			logs := svc.logs.String()
			for _, secret := range []string{org, aud} {
				if strings.Contains(logs, secret) {
					t.Errorf("serve logs contain an API token")
				}
			}
			for _, want := range []string{`"msg":"starting"`, `"msg":"http request"`, `"route":"/api/v1/campaigns/:id"`, `"msg":"stopped"`} {
				if !strings.Contains(logs, want) {
					t.Errorf("serve logs: want %s in\n%s", want, logs)
				}
			}
			if t.Failed() {
				t.Logf("serve logs:\n%s", logs)
			}
		})
	}
}
