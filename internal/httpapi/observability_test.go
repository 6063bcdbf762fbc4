package httpapi

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// logLines decodes the JSON log lines with the given msg.
func logLines(t *testing.T, logs, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.Lines(logs) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", line, err)
		}
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

func TestAccessLog(t *testing.T) {
	e := setup(t, nil)
	e.do(t, "POST", "/api/v1/campaigns", organiserToken, strings.NewReader(`{"name":"c","invitation_text":"Hei +4791234567"}`))
	r := e.do(t, "GET", "/api/v1/campaigns/1?phone=%2B4791234567", auditorToken, nil, "X-Request-ID", "req-42")
	if r.status != 200 {
		t.Fatalf("GET: got %d, want 200", r.status)
	}
	logs := e.logs.String()
	lines := logLines(t, logs, "http request")
	if len(lines) != 2 {
		t.Fatalf("got %d access log lines, want 2:\n%s", len(lines), logs)
	}
	got := lines[1]
	if got["level"] != "INFO" {
		t.Errorf("log level: got %v, want INFO", got["level"])
	}
	want := map[string]any{"method": "GET", "route": "/api/v1/campaigns/:id", "status": float64(200), "request_id": "req-42"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("log field %s: got %v, want %v", k, got[k], v)
		}
	}
	if _, ok := got["duration"]; !ok {
		t.Errorf("log line %v: want a duration", got)
	}
	for _, leak := range []string{organiserToken, auditorToken, "4791234567", "phone", "Hei", "/api/v1/campaigns/1"} {
		if strings.Contains(logs, leak) {
			t.Errorf("logs contain %q:\n%s", leak, logs)
		}
	}
}

func TestRequestID(t *testing.T) {
	tests := []struct {
		name, sent, want string
	}{
		{"kept", "abc-123_x.y", "abc-123_x.y"},
		{"absent", "", "generated-id"},
		{"odd characters replaced", "a b\"c", "generated-id"},
		{"too long replaced", strings.Repeat("a", 65), "generated-id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, nil)
			r := e.do(t, "GET", "/healthz", "", nil, "X-Request-ID", tt.sent)
			if got := r.header.Get("X-Request-ID"); got != tt.want {
				t.Errorf("X-Request-ID: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPanicRecovered(t *testing.T) {
	e := setup(t, func(s *Server) {
		s.engine.GET("/test/panic", func(*gin.Context) { panic("boom in handler") })
	})
	r := e.do(t, "GET", "/test/panic", "", nil)
	if r.status != 500 {
		t.Errorf("status: got %d, want 500", r.status)
	}
	if got := r.errorBody(t); got.Code != "internal" || got.Message != "internal error" {
		t.Errorf("body: got %+v, want internal / internal error", got)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "boom in handler") {
		t.Errorf("logs %q: want the panic logged", logs)
	}
	if lines := logLines(t, logs, "http request"); len(lines) != 1 || lines[0]["status"] != float64(500) || lines[0]["level"] != "ERROR" {
		t.Errorf("access log: got %v, want one ERROR line with status 500", lines)
	}
	if r := e.do(t, "GET", "/healthz", "", nil); r.status != 200 {
		t.Errorf("after a panic /healthz: got %d, want 200", r.status)
	}
}

func TestMetrics(t *testing.T) {
	e := setup(t, nil)
	e.do(t, "GET", "/healthz", "", nil)
	e.do(t, "GET", "/api/v1/campaigns/7", organiserToken, nil)
	e.do(t, "GET", "/no/such/path", "", nil)
	r := e.do(t, "GET", "/metrics", "", nil)
	if r.status != 200 {
		t.Fatalf("GET /metrics: got %d, want 200", r.status)
	}
	body := string(r.body)
	for _, want := range []string{
		`panel_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`panel_http_requests_total{method="GET",route="/api/v1/campaigns/:id",status="404"} 1`,
		`panel_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`panel_http_request_duration_seconds_count{method="GET",route="/healthz"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics: want line %q in\n%s", want, body)
		}
	}
	if strings.Contains(body, "/no/such/path") {
		t.Errorf("metrics contain a raw path")
	}
}

func TestProbesLogAtDebug(t *testing.T) {
	e := setup(t, nil)
	e.do(t, "GET", "/healthz", "", nil)
	e.db.err = errors.New("down")
	e.do(t, "GET", "/readyz", "", nil)
	lines := logLines(t, e.logs.String(), "http request")
	if len(lines) != 2 || lines[0]["level"] != "DEBUG" || lines[1]["level"] != "ERROR" {
		t.Errorf("access log: got %v, want a DEBUG line for the healthy probe and ERROR for the 503", lines)
	}
}
