package httpapi

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestHealthAndReadiness(t *testing.T) {
	tests := []struct {
		name       string
		path       string
		pingErr    error
		wantStatus int
		wantBody   string
	}{
		{"healthz", "/healthz", nil, 200, `{"status":"ok"}`},
		{"healthz while database is down", "/healthz", panel.Errorf(panel.EUNAVAILABLE, "database unreachable"), 200, `{"status":"ok"}`},
		{"readyz", "/readyz", nil, 200, `{"status":"ready"}`},
		{"readyz database down", "/readyz", panel.Errorf(panel.EUNAVAILABLE, "database unreachable"), 503, `{"error":{"code":"unavailable","message":"database unreachable"}}`},
		{"readyz other failure", "/readyz", errors.New("driver: bad connection"), 503, `{"error":{"code":"unavailable","message":"the database is not reachable"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, nil)
			e.db.err = tt.pingErr
			r := e.do(t, "GET", tt.path, "", nil)
			if r.status != tt.wantStatus || strings.TrimSpace(string(r.body)) != tt.wantBody {
				t.Errorf("got %d %s, want %d %s", r.status, r.body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

func TestRequestTimeout(t *testing.T) {
	e := setup(t, func(s *Server) { s.timeout = 20 * time.Millisecond })
	e.campaigns.block = true
	r := e.do(t, "GET", "/api/v1/campaigns", organiserToken, nil)
	if r.status != 503 || r.errorBody(t).Code != "unavailable" {
		t.Errorf("got %d %s, want 503 unavailable when the service does not answer in time", r.status, r.body)
	}
}

// schemaAt is a SchemaChecker that answers err.
type schemaAt struct{ err error }

func (s schemaAt) CheckSchema(context.Context) error { return s.err }

func TestReadinessChecksSchema(t *testing.T) {
	behind := panel.Errorf(panel.EUNAVAILABLE, "the database schema is at migration version 6, behind this binary's 10 (run panel migrate)")
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantBody   string
	}{
		{"current", nil, 200, `{"status":"ready"}`},
		{"behind", behind, 503, `{"error":{"code":"unavailable","message":"the database schema is at migration version 6, behind this binary's 10 (run panel migrate)"}}`},
		{"unreadable", errors.New("no such table"), 503, `{"error":{"code":"unavailable","message":"the database schema version could not be read"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, func(s *Server) { s.schema = schemaAt{tt.err} })
			r := e.do(t, "GET", "/readyz", "", nil)
			if r.status != tt.wantStatus || strings.TrimSpace(string(r.body)) != tt.wantBody {
				t.Errorf("got %d %s, want %d %s", r.status, r.body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}
