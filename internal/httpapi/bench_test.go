package httpapi

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizenspanel/panel/internal/panel"
)

// BenchmarkHandler measures the middleware chain and handlers in process
// (no network, in-memory fakes), so it shows the HTTP layer's own cost.
func BenchmarkHandler(b *testing.B) {
	campaigns := &fakeCampaigns{byID: map[int64]*panel.Campaign{}}
	reg := prometheus.NewRegistry()
	s, err := NewServer(complete(b, Deps{
		Campaigns: campaigns,
		Tokens:    &fakeTokens{bySecret: map[string]*panel.Token{organiserToken: {ID: 1, Name: "alice", Role: panel.RoleOrganiser}}},
		Audit:     &fakeAudit{}, DB: &fakePinger{},
		Logger:     slog.New(slog.DiscardHandler),
		Registerer: reg, Gatherer: reg,
	}))
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	c := panel.NewCampaign()
	c.Name, c.InvitationText = "c", "x"
	if err := campaigns.CreateCampaign(b.Context(), c); err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name, method, path, body string
		want                     int
	}{
		{"healthz", "GET", "/healthz", "", 200},
		{"get campaign", "GET", "/api/v1/campaigns/1", "", 200},
		{"create campaign invalid", "POST", "/api/v1/campaigns", `{"name":"","invitation_text":"x"}`, 422},
		{"unauthorized", "GET", "/api/v1/campaigns", "", 401},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(bc.method, bc.path, strings.NewReader(bc.body))
				if bc.want != http.StatusUnauthorized {
					req.Header.Set("Authorization", "Bearer "+organiserToken)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != bc.want {
					b.Fatalf("got %d, want %d", w.Code, bc.want)
				}
			}
		})
	}
}
