package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestWriteErrorMapping(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		wantStatus  int
		wantCode    string
		wantMessage string
	}{
		{"invalid", panel.Errorf(panel.EINVALID, "name is required"), 422, "invalid", "name is required"},
		{"not found", panel.Errorf(panel.ENOTFOUND, "campaign 3 does not exist"), 404, "not_found", "campaign 3 does not exist"},
		{"conflict", panel.Errorf(panel.ECONFLICT, "already sending"), 409, "conflict", "already sending"},
		{"unauthorized", panel.Errorf(panel.EUNAUTHORIZED, "bad token"), 401, "unauthorized", "bad token"},
		{"forbidden", panel.Errorf(panel.EFORBIDDEN, "read only"), 403, "forbidden", "read only"},
		{"unavailable", panel.Errorf(panel.EUNAVAILABLE, "database down"), 503, "unavailable", "database down"},
		{"internal panel error hides message", panel.Errorf(panel.EINTERNAL, "secret detail"), 500, "internal", "internal error"},
		{"plain error hides detail", errors.New("pq: secret detail"), 500, "internal", "internal error"},
		{"wrapped panel error keeps code", fmt.Errorf("store: %w", panel.Errorf(panel.ECONFLICT, "duplicate")), 409, "conflict", "duplicate"},
		{"deadline is unavailable", fmt.Errorf("query: %w", context.DeadlineExceeded), 503, "unavailable", "the request took too long; try again later"},
		{"malformed", errMalformed("malformed JSON"), 400, "invalid", "malformed JSON"},
		{"too large", errTooLarge(10), 413, "too_large", "request body is larger than the limit of 10 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, func(s *Server) {
				s.engine.GET("/test/error", s.handle(func(*gin.Context) error { return tt.err }))
			})
			r := e.do(t, "GET", "/test/error", "", nil)
			if r.status != tt.wantStatus {
				t.Errorf("status: got %d, want %d", r.status, tt.wantStatus)
			}
			got := r.errorBody(t)
			if got.Code != tt.wantCode || got.Message != tt.wantMessage {
				t.Errorf("body: got %+v, want code %q message %q", got, tt.wantCode, tt.wantMessage)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type: got %q, want application/json", ct)
			}
			gotAuth := r.header.Get("WWW-Authenticate")
			if wantAuth := tt.wantStatus == http.StatusUnauthorized; (gotAuth != "") != wantAuth {
				t.Errorf("WWW-Authenticate: got %q, want present=%t", gotAuth, wantAuth)
			}
			if tt.wantCode == "internal" && !strings.Contains(e.logs.String(), "secret detail") {
				t.Errorf("log %q: want the internal detail logged", e.logs.String())
			}
		})
	}
}

func TestUnknownRouteAndMethod(t *testing.T) {
	e := setup(t, nil)
	tests := []struct {
		name, method, path string
		wantStatus         int
		wantCode           string
		wantAllow          string
	}{
		{"unknown path", "GET", "/nope", 404, "not_found", ""},
		{"unknown api path", "GET", "/api/v1/nope", 404, "not_found", ""},
		{"trailing slash", "GET", "/api/v1/campaigns/", 404, "not_found", ""},
		{"wrong method", "DELETE", "/api/v1/campaigns", 405, "method_not_allowed", "GET, POST"},
		{"post healthz", "POST", "/healthz", 405, "method_not_allowed", "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, tt.method, tt.path, "", nil)
			if r.status != tt.wantStatus {
				t.Errorf("status: got %d, want %d", r.status, tt.wantStatus)
			}
			if got := r.errorBody(t).Code; got != tt.wantCode {
				t.Errorf("code: got %q, want %q", got, tt.wantCode)
			}
			if tt.wantAllow != "" {
				got := strings.Split(r.header.Get("Allow"), ", ")
				slices.Sort(got)
				want := strings.Split(tt.wantAllow, ", ")
				if !slices.Equal(got, want) {
					t.Errorf("Allow: got %v, want %v", got, want)
				}
			}
		})
	}
}
