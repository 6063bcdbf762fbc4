package httpapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestListAudit(t *testing.T) {
	tests := []struct {
		name       string
		query      string
		wantStatus int
		wantInMsg  string
		wantFilter panel.AuditFilter
		wantSeqs   []int64
	}{
		{"defaults", "", 200, "", panel.AuditFilter{Limit: 100}, []int64{1, 2, 3}},
		{"after and limit", "?after=1&limit=1", 200, "", panel.AuditFilter{AfterSeq: 1, Limit: 1}, []int64{2}},
		{"subject", "?subject=campaign/3", 200, "", panel.AuditFilter{Subject: "campaign/3", Limit: 100}, []int64{3}},
		{"after not a number", "?after=x", 400, `after must be an integer, got "x"`, panel.AuditFilter{}, nil},
		{"negative after", "?after=-2", 422, "after must be from 0", panel.AuditFilter{}, nil},
		{"limit too big", "?limit=1001", 422, "limit must be from 1 to 1000", panel.AuditFilter{}, nil},
		{"subject too long", "?subject=" + strings.Repeat("s", 201), 422, "subject must be at most 200 bytes", panel.AuditFilter{}, nil},
		{"unknown parameter", "?before=3", 422, `unknown query parameter "before"`, panel.AuditFilter{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, nil)
			for i := range 3 {
				body := strings.NewReader(fmt.Sprintf(`{"name":"c%d","invitation_text":"x"}`, i))
				if r := e.do(t, "POST", "/api/v1/campaigns", organiserToken, body); r.status != 201 {
					t.Fatalf("create: got %d, want 201", r.status)
				}
			}
			r := e.do(t, "GET", "/api/v1/audit"+tt.query, auditorToken, nil)
			if r.status != tt.wantStatus {
				t.Fatalf("status: got %d, want %d (body %s)", r.status, tt.wantStatus, r.body)
			}
			if tt.wantStatus != 200 {
				if got := r.errorBody(t).Message; !strings.Contains(got, tt.wantInMsg) {
					t.Errorf("message: got %q, want it to contain %q", got, tt.wantInMsg)
				}
				return
			}
			if got := e.audit.filters; len(got) != 1 || got[0] != tt.wantFilter {
				t.Errorf("filter: got %+v, want [%+v]", got, tt.wantFilter)
			}
			var list auditList
			if err := json.Unmarshal(r.body, &list); err != nil {
				t.Fatalf("body %s: %v", r.body, err)
			}
			var seqs []int64
			for _, ev := range list.Events {
				seqs = append(seqs, ev.Seq)
			}
			if fmt.Sprint(seqs) != fmt.Sprint(tt.wantSeqs) {
				t.Errorf("seqs: got %v, want %v", seqs, tt.wantSeqs)
			}
		})
	}
}

func TestVerifyAudit(t *testing.T) {
	tests := []struct {
		name       string
		verifyErr  error
		wantStatus int
		wantBody   string
	}{
		{"intact", nil, 200, `{"ok":true,"events":1}`},
		{"broken chain", panel.Errorf(panel.EINVALID, "audit event 1: hash does not match"), 422, `{"error":{"code":"invalid","message":"audit event 1: hash does not match"}}`},
		{"database down", panel.Errorf(panel.EUNAVAILABLE, "database unreachable"), 503, `{"error":{"code":"unavailable","message":"database unreachable"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, nil)
			if r := e.do(t, "POST", "/api/v1/campaigns", organiserToken, strings.NewReader(`{"name":"c","invitation_text":"x"}`)); r.status != 201 {
				t.Fatalf("create: got %d, want 201", r.status)
			}
			e.audit.verifyErr = tt.verifyErr
			r := e.do(t, "GET", "/api/v1/audit/verify", auditorToken, nil)
			if r.status != tt.wantStatus || strings.TrimSpace(string(r.body)) != tt.wantBody {
				t.Errorf("got %d %s, want %d %s", r.status, r.body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}
