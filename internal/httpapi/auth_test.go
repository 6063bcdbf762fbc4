package httpapi

import (
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestAuthentication(t *testing.T) {
	body := `{"name":"Trondheim 2026","invitation_text":"Hei!"}`
	tests := []struct {
		name       string
		method     string
		path       string
		header     string // Authorization
		tokensErr  error
		wantStatus int
		wantCode   string
	}{
		{"no header", "GET", "/api/v1/campaigns", "", nil, 401, "unauthorized"},
		{"basic scheme", "GET", "/api/v1/campaigns", "Basic b3JnMHNlY3JldA==", nil, 401, "unauthorized"},
		{"bearer without token", "GET", "/api/v1/campaigns", "Bearer ", nil, 401, "unauthorized"},
		{"unknown token", "GET", "/api/v1/campaigns", "Bearer nope", nil, 401, "unauthorized"},
		{"organiser reads", "GET", "/api/v1/campaigns", "Bearer " + organiserToken, nil, 200, ""},
		{"lower-case scheme", "GET", "/api/v1/campaigns", "bearer " + organiserToken, nil, 200, ""},
		{"organiser writes", "POST", "/api/v1/campaigns", "Bearer " + organiserToken, nil, 201, ""},
		{"auditor reads", "GET", "/api/v1/audit", "Bearer " + auditorToken, nil, 200, ""},
		{"auditor may not write", "POST", "/api/v1/campaigns", "Bearer " + auditorToken, nil, 403, "forbidden"},
		{"token store down", "GET", "/api/v1/campaigns", "Bearer " + organiserToken, panel.Errorf(panel.EUNAVAILABLE, "database unreachable"), 503, "unavailable"},
		{"openapi needs no token", "GET", "/api/v1/openapi.json", "", nil, 200, ""},
		{"healthz needs no token", "GET", "/healthz", "", nil, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, nil)
			e.tokens.err = tt.tokensErr
			r := e.do(t, tt.method, tt.path, "", strings.NewReader(body), "Authorization", tt.header)
			if r.status != tt.wantStatus {
				t.Fatalf("status: got %d, want %d (body %s)", r.status, tt.wantStatus, r.body)
			}
			if tt.wantCode != "" {
				if got := r.errorBody(t).Code; got != tt.wantCode {
					t.Errorf("code: got %q, want %q", got, tt.wantCode)
				}
			}
			if tt.wantStatus == 401 && r.header.Get("WWW-Authenticate") == "" {
				t.Errorf("401 without WWW-Authenticate")
			}
			if tt.wantStatus == 403 && len(e.campaigns.byID) != 0 {
				t.Errorf("forbidden request created %d campaigns, want 0", len(e.campaigns.byID))
			}
		})
	}
}
