package httpapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestCreateCampaign(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		contentType string
		wantStatus  int
		wantInMsg   string // substring of the error message
		check       func(t *testing.T, c panel.Campaign)
	}{
		{"defaults", `{"name":"Trondheim","invitation_text":"Hei!"}`, "application/json", 201, "", func(t *testing.T, c panel.Campaign) {
			if c.SendRate != panel.DefaultSendRate || c.QuietHours != panel.DefaultQuietHours {
				t.Errorf("got send_rate %g quiet_hours %q, want %g %q", c.SendRate, c.QuietHours, panel.DefaultSendRate, panel.DefaultQuietHours)
			}
		}},
		{"explicit settings", `{"name":"T","invitation_text":"Hei","send_rate":2.5,"quiet_hours":"21:00-09:00","templates":{"meeting_reminder":"Husk"}}`, "", 201, "", func(t *testing.T, c panel.Campaign) {
			if c.SendRate != 2.5 || c.QuietHours != "21:00-09:00" || c.Templates["meeting_reminder"] != "Husk" {
				t.Errorf("got %+v, want send_rate 2.5, quiet_hours 21:00-09:00, templates.meeting_reminder Husk", c)
			}
		}},
		{"empty quiet hours turn them off", `{"name":"T","invitation_text":"Hei","quiet_hours":""}`, "application/json; charset=utf-8", 201, "", func(t *testing.T, c panel.Campaign) {
			if c.QuietHours != "" {
				t.Errorf("quiet_hours: got %q, want empty", c.QuietHours)
			}
		}},
		{"reply by", `{"name":"T","invitation_text":"Svar innen {deadline}","reply_by":"2026-10-18"}`, "", 201, "", func(t *testing.T, c panel.Campaign) {
			if c.ReplyBy != "2026-10-18" {
				t.Errorf("reply_by: got %q, want 2026-10-18", c.ReplyBy)
			}
		}},
		{"bad reply by", `{"name":"T","invitation_text":"x","reply_by":"18.10.2026"}`, "", 422, "reply_by must be a date YYYY-MM-DD", nil},
		{"malformed json", `{"name":`, "", 400, "malformed JSON", nil},
		{"syntax error", `{"name" "x"}`, "", 400, "malformed JSON at byte", nil},
		{"empty body", ``, "", 400, "request body is empty", nil},
		{"array body", `[1]`, "", 400, "must be a JSON object", nil},
		{"trailing data", `{"name":"T","invitation_text":"x"} {}`, "", 400, "nothing after it", nil},
		{"unknown field", `{"name":"T","invitation_text":"x","colour":"red"}`, "", 422, `unknown field "colour"`, nil},
		{"wrong type", `{"name":"T","invitation_text":"x","send_rate":"fast"}`, "", 422, "send_rate must be a number", nil},
		{"zero send rate", `{"name":"T","invitation_text":"x","send_rate":0}`, "", 422, "send_rate must be between 0 and 100, got 0", nil},
		{"service rejects content", `{"name":"","invitation_text":"x"}`, "", 422, "name is required", nil},
		{"bad quiet hours", `{"name":"T","invitation_text":"x","quiet_hours":"late"}`, "", 422, "quiet_hours", nil},
		{"wrong content type", `name=T`, "application/x-www-form-urlencoded", 415, "Content-Type must be application/json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, nil)
			r := e.do(t, "POST", "/api/v1/campaigns", organiserToken, strings.NewReader(tt.body), "Content-Type", tt.contentType)
			if r.status != tt.wantStatus {
				t.Fatalf("status: got %d, want %d (body %s)", r.status, tt.wantStatus, r.body)
			}
			if tt.wantStatus != 201 {
				if got := r.errorBody(t).Message; !strings.Contains(got, tt.wantInMsg) {
					t.Errorf("message: got %q, want it to contain %q", got, tt.wantInMsg)
				}
				if len(e.audit.events) != 0 {
					t.Errorf("got %d audit events after a refused request, want 0", len(e.audit.events))
				}
				return
			}
			var c panel.Campaign
			if err := json.Unmarshal(r.body, &c); err != nil {
				t.Fatalf("body %s: %v", r.body, err)
			}
			if c.ID == 0 || c.State != panel.CampaignDraft {
				t.Errorf("got id %d state %q, want an id and state draft", c.ID, c.State)
			}
			if got, want := r.header.Get("Location"), fmt.Sprintf("/api/v1/campaigns/%d", c.ID); got != want {
				t.Errorf("Location: got %q, want %q", got, want)
			}
			tt.check(t, c)
			if len(e.audit.events) != 1 {
				t.Fatalf("audit events: got %d, want 1", len(e.audit.events))
			}
			ev := e.audit.events[0]
			if ev.Actor != "alice" || ev.Action != "campaign.created" || ev.Subject != fmt.Sprintf("campaign/%d", c.ID) {
				t.Errorf("audit event: got actor %q action %q subject %q, want alice campaign.created campaign/%d", ev.Actor, ev.Action, ev.Subject, c.ID)
			}
		})
	}
}

func TestCreateCampaignAuditFailure(t *testing.T) {
	e := setup(t, nil)
	e.audit.err = panel.Errorf(panel.EUNAVAILABLE, "database unreachable")
	r := e.do(t, "POST", "/api/v1/campaigns", organiserToken, strings.NewReader(`{"name":"T","invitation_text":"x"}`))
	if r.status != 503 {
		t.Errorf("status: got %d, want 503 when the audit event cannot be written", r.status)
	}
}

func TestListCampaigns(t *testing.T) {
	tests := []struct {
		name       string
		query      string
		wantStatus int
		wantInMsg  string
		wantFilter panel.CampaignFilter
		wantIDs    []int64
	}{
		{"defaults", "", 200, "", panel.CampaignFilter{Limit: 100}, []int64{1, 2, 3}},
		{"page", "?limit=1&offset=1", 200, "", panel.CampaignFilter{Limit: 1, Offset: 1}, []int64{2}},
		{"state", "?state=draft", 200, "", panel.CampaignFilter{Limit: 100, State: "draft"}, []int64{1, 2, 3}},
		{"limit not a number", "?limit=abc", 400, `limit must be an integer, got "abc"`, panel.CampaignFilter{}, nil},
		{"limit zero", "?limit=0", 422, "limit must be from 1 to 1000, got 0", panel.CampaignFilter{}, nil},
		{"limit too big", "?limit=5000", 422, "limit must be from 1 to 1000", panel.CampaignFilter{}, nil},
		{"negative offset", "?offset=-1", 422, "offset must be from 0", panel.CampaignFilter{}, nil},
		{"unknown state", "?state=done", 422, `state must be one of draft, sending, paused, closed, purged, got "done"`, panel.CampaignFilter{}, nil},
		{"repeated parameter", "?limit=1&limit=2", 422, "limit is given 2 times", panel.CampaignFilter{}, nil},
		{"unknown parameter", "?lmit=2", 422, `unknown query parameter "lmit"`, panel.CampaignFilter{}, nil},
		{"malformed query", "?limit=%zz", 400, "malformed query string", panel.CampaignFilter{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, nil)
			for i := range 3 {
				r := e.do(t, "POST", "/api/v1/campaigns", organiserToken, strings.NewReader(fmt.Sprintf(`{"name":"c%d","invitation_text":"x"}`, i)))
				if r.status != 201 {
					t.Fatalf("create: got %d, want 201", r.status)
				}
			}
			r := e.do(t, "GET", "/api/v1/campaigns"+tt.query, auditorToken, nil)
			if r.status != tt.wantStatus {
				t.Fatalf("status: got %d, want %d (body %s)", r.status, tt.wantStatus, r.body)
			}
			if tt.wantStatus != 200 {
				if got := r.errorBody(t).Message; !strings.Contains(got, tt.wantInMsg) {
					t.Errorf("message: got %q, want it to contain %q", got, tt.wantInMsg)
				}
				if len(e.campaigns.filters) != 0 {
					t.Errorf("service called with %+v, want no call", e.campaigns.filters)
				}
				return
			}
			if got := e.campaigns.filters; len(got) != 1 || got[0] != tt.wantFilter {
				t.Errorf("filter: got %+v, want [%+v]", got, tt.wantFilter)
			}
			var list campaignList
			if err := json.Unmarshal(r.body, &list); err != nil {
				t.Fatalf("body %s: %v", r.body, err)
			}
			var ids []int64
			for _, c := range list.Campaigns {
				ids = append(ids, c.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.wantIDs) || list.Total != 3 {
				t.Errorf("got ids %v total %d, want %v total 3", ids, list.Total, tt.wantIDs)
			}
		})
	}
}

func TestListCampaignsEmptyIsArray(t *testing.T) {
	e := setup(t, nil)
	r := e.do(t, "GET", "/api/v1/campaigns", organiserToken, nil)
	if !strings.Contains(string(r.body), `"campaigns":[]`) {
		t.Errorf("body: got %s, want an empty campaigns array", r.body)
	}
}

func TestGetCampaign(t *testing.T) {
	tests := []struct {
		name       string
		id         string
		wantStatus int
		wantInMsg  string
	}{
		{"found", "1", 200, ""},
		{"missing", "99", 404, "campaign 99 does not exist"},
		{"not a number", "abc", 400, `campaign id must be a positive integer, got "abc"`},
		{"zero", "0", 400, `campaign id must be a positive integer, got "0"`},
		{"overflow", "99999999999999999999", 400, "campaign id must be a positive integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, nil)
			if r := e.do(t, "POST", "/api/v1/campaigns", organiserToken, strings.NewReader(`{"name":"c","invitation_text":"x"}`)); r.status != 201 {
				t.Fatalf("create: got %d, want 201", r.status)
			}
			r := e.do(t, "GET", "/api/v1/campaigns/"+tt.id, auditorToken, nil)
			if r.status != tt.wantStatus {
				t.Fatalf("status: got %d, want %d (body %s)", r.status, tt.wantStatus, r.body)
			}
			if tt.wantStatus != 200 {
				if got := r.errorBody(t).Message; !strings.Contains(got, tt.wantInMsg) {
					t.Errorf("message: got %q, want it to contain %q", got, tt.wantInMsg)
				}
				return
			}
			var c panel.Campaign
			if err := json.Unmarshal(r.body, &c); err != nil || c.ID != 1 || c.Name != "c" {
				t.Errorf("body: got %s (%v), want campaign 1 named c", r.body, err)
			}
		})
	}
}
