package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestNULRefused sends U+0000 in every kind of input the admin API takes
// (JSON fields, query and path parameters, CSV cells, purge keys) to
// "panel serve" on both databases: each is 422 naming where it was, and
// nothing is stored. On PostgreSQL these were 500s.
func TestNULRefused(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			db.SkipIfUnavailable(t)
			env := map[string]string{"PANEL_DATABASE_URL": db.URL, "PANEL_ADDR": "127.0.0.1:0", "PANEL_LOG_LEVEL": "error"}
			org := createToken(t, env, panel.RoleOrganiser, "alice")
			aud := createToken(t, env, panel.RoleAuditor, "bob")
			svc := startServe(t, env)
			api := svc.url + "/api/v1"
			if r := call(t, "POST", api+"/campaigns", org, `{"name":"Trondheim","invitation_text":"Hei"}`); r.status != 201 {
				t.Fatalf("create campaign: %d %s", r.status, r.body)
			}
			tests := []struct {
				name, method, path, token, ctype, body string
				names                                  string // what the message must name
			}{
				{"campaign name", "POST", "/campaigns", org, "application/json", `{"name":"a\u0000b","invitation_text":"Hei"}`, "name"},
				{"invitation text", "POST", "/campaigns", org, "application/json", `{"name":"ok","invitation_text":"Hei\u0000"}`, "invitation_text"},
				{"meeting title", "POST", "/campaigns/1/meetings", org, "application/json", `{"title":"M\u0000","starts_at":"2026-11-25T18:00:00+01:00"}`, "title"},
				{"meeting place", "POST", "/campaigns/1/meetings", org, "application/json", `{"title":"M","place":"\u0000","starts_at":"2026-11-25T18:00:00+01:00"}`, "place"},
				{"audit subject filter", "GET", "/audit?subject=campaign%00", aud, "", "", "query parameter subject"},
				{"path parameter", "GET", "/campaigns/1%00", org, "", "", "path parameter id"},
				{"recipient CSV cell", "POST", "/campaigns/1/recipients", org, "text/csv", "phone,gender\n+4791234567,kvinne\n+4791234568,m\x00ann\n", "line 3"},
				{"volunteer CSV cell", "POST", "/campaigns/1/volunteers", org, "text/csv", "id,gender\nv1,kv\x00inne\n", "line 2"},
				{"quota CSV cell", "PUT", "/campaigns/1/quotas", org, "text/csv", "category,name,min,max\ngender,kv\x00inne,1,2\n", "line 2"},
				{"purge key", "POST", "/campaigns/1/purge", org, "application/json", `{"external_id":"x\u0000"}`, "external_id"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					req, err := http.NewRequest(tt.method, api+tt.path, strings.NewReader(tt.body))
					if err != nil {
						t.Fatal(err)
					}
					req.Header.Set("Authorization", "Bearer "+tt.token)
					if tt.ctype != "" {
						req.Header.Set("Content-Type", tt.ctype)
					}
					res, err := client.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					defer res.Body.Close()
					var b strings.Builder
					_, _ = io.Copy(&b, res.Body)
					r := reply{status: res.StatusCode, body: []byte(b.String())}
					var e struct {
						Error struct{ Code, Message string }
					}
					r.json(t, &e)
					if r.status != 422 || e.Error.Code != "invalid" || !strings.Contains(e.Error.Message, tt.names) || !strings.Contains(e.Error.Message, "NUL") && !strings.Contains(e.Error.Message, "U+0000") {
						t.Errorf("got %d %s, want 422 invalid naming %q and the NUL character", r.status, r.body, tt.names)
					}
				})
			}
			var list struct {
				Campaigns []struct{ Name string } `json:"campaigns"`
			}
			call(t, "GET", api+"/campaigns", org, "").json(t, &list)
			if len(list.Campaigns) != 1 {
				t.Errorf("campaigns after the refusals: got %d, want 1", len(list.Campaigns))
			}
			var stats panel.CampaignStats
			call(t, "GET", api+"/campaigns/1/stats", org, "").json(t, &stats)
			if stats.Recipients != 0 {
				t.Errorf("recipients after the refused import: got %d, want 0", stats.Recipients)
			}
			var meetings struct {
				Meetings []struct{ ID int64 } `json:"meetings"`
			}
			call(t, "GET", api+"/campaigns/1/meetings", org, "").json(t, &meetings)
			if len(meetings.Meetings) != 0 {
				t.Errorf("meetings after the refusals: got %d, want 0", len(meetings.Meetings))
			}
		})
	}
}
