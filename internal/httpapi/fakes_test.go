package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// fakeCampaigns keeps campaigns in memory and validates like the store.
type fakeCampaigns struct {
	mu      sync.Mutex
	byID    map[int64]*panel.Campaign
	lastID  int64
	filters []panel.CampaignFilter
	err     error      // returned by every call when set
	block   bool       // ListCampaigns waits for its context to end
	audit   *fakeAudit // when set, CreateCampaign records its event there, all or nothing like the store
}

var _ panel.CampaignService = (*fakeCampaigns)(nil)

func (f *fakeCampaigns) CreateCampaign(ctx context.Context, c *panel.Campaign) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if f.audit != nil {
		ev := &panel.AuditEvent{
			Actor: panel.ActorOrSystem(ctx).Name, Action: "campaign.created",
			Subject: fmt.Sprintf("campaign/%d", f.lastID+1), Details: []byte(`{}`),
		}
		if err := f.audit.AppendAudit(ctx, ev); err != nil {
			return err
		}
	}
	f.lastID++
	c.ID, c.State = f.lastID, panel.CampaignDraft
	c.CreatedAt = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	c.UpdatedAt = c.CreatedAt
	cp := *c
	f.byID[c.ID] = &cp
	return nil
}

func (f *fakeCampaigns) FindCampaignByID(_ context.Context, id int64) (*panel.Campaign, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	c, ok := f.byID[id]
	if !ok {
		return nil, panel.Errorf(panel.ENOTFOUND, "campaign %d does not exist", id)
	}
	return c, nil
}

func (f *fakeCampaigns) UpdateCampaign(ctx context.Context, id int64, ch panel.CampaignChange) (*panel.Campaign, error) {
	c, err := f.FindCampaignByID(ctx, id)
	if err != nil {
		return nil, err
	}
	next, err := ch.Apply(c)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byID[id] = next
	return next, nil
}

func (f *fakeCampaigns) CloseCampaign(ctx context.Context, id int64) (*panel.Campaign, error) {
	c, err := f.FindCampaignByID(ctx, id)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	cp := *c
	cp.State = panel.CampaignClosed
	f.byID[id] = &cp
	return &cp, nil
}

func (f *fakeCampaigns) ListCampaigns(ctx context.Context, fl panel.CampaignFilter) ([]*panel.Campaign, int, error) {
	if f.block {
		<-ctx.Done()
		return nil, 0, fmt.Errorf("list campaigns: %w", ctx.Err())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.filters = append(f.filters, fl)
	if f.err != nil {
		return nil, 0, f.err
	}
	var out []*panel.Campaign
	for id := int64(1); id <= f.lastID; id++ {
		if c := f.byID[id]; c != nil && (fl.State == "" || c.State == fl.State) {
			out = append(out, c)
		}
	}
	total := len(out)
	out = out[min(fl.Offset, len(out)):]
	return out[:min(fl.Limit, len(out))], total, nil
}

// fakeTokens knows a fixed set of secrets.
type fakeTokens struct {
	bySecret map[string]*panel.Token
	err      error
}

var _ panel.TokenService = (*fakeTokens)(nil)

func (f *fakeTokens) CreateToken(context.Context, string, string) (*panel.Token, panel.Secret, error) {
	return nil, "", panel.Errorf(panel.EINTERNAL, "not used by httpapi")
}

func (f *fakeTokens) Authenticate(_ context.Context, s panel.Secret) (*panel.Token, error) {
	if f.err != nil {
		return nil, f.err
	}
	t, ok := f.bySecret[s.Reveal()]
	if !ok {
		return nil, panel.Errorf(panel.EUNAUTHORIZED, "unknown or revoked API token")
	}
	return t, nil
}

// fakeAudit appends to a slice.
type fakeAudit struct {
	mu        sync.Mutex
	events    []*panel.AuditEvent
	filters   []panel.AuditFilter
	verifyErr error
	err       error
}

var _ panel.AuditLog = (*fakeAudit)(nil)

func (f *fakeAudit) AppendAudit(_ context.Context, e *panel.AuditEvent) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	e.Seq = int64(len(f.events) + 1)
	cp := *e
	f.events = append(f.events, &cp)
	return nil
}

func (f *fakeAudit) ListAuditEvents(_ context.Context, fl panel.AuditFilter) ([]*panel.AuditEvent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.filters = append(f.filters, fl)
	if f.err != nil {
		return nil, f.err
	}
	var out []*panel.AuditEvent
	for _, e := range f.events {
		if e.Seq > fl.AfterSeq && (fl.Subject == "" || e.Subject == fl.Subject) && len(out) < fl.Limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f *fakeAudit) VerifyAuditChain(context.Context) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.verifyErr != nil {
		return 0, f.verifyErr
	}
	return len(f.events), nil
}

// fakePinger answers err.
type fakePinger struct {
	mu  sync.Mutex
	err error
}

func (f *fakePinger) Ping(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Secrets of the fake tokens.
const (
	organiserToken = "org0secret"
	auditorToken   = "aud0secret"
)

// testEnv is a Server with fakes behind a real HTTP server.
type testEnv struct {
	s         *Server
	url       string
	campaigns *fakeCampaigns
	tokens    *fakeTokens
	audit     *fakeAudit
	db        *fakePinger
	logs      *syncBuffer
}

// setup starts a server with fresh fakes; extra, when given, may add test
// routes before the first request.
func setup(t *testing.T, extra func(s *Server)) *testEnv {
	t.Helper()
	e := &testEnv{
		campaigns: &fakeCampaigns{byID: map[int64]*panel.Campaign{}},
		tokens: &fakeTokens{bySecret: map[string]*panel.Token{
			organiserToken: {ID: 1, Name: "alice", Role: panel.RoleOrganiser},
			auditorToken:   {ID: 2, Name: "bob", Role: panel.RoleAuditor},
		}},
		audit: &fakeAudit{},
		db:    &fakePinger{},
		logs:  &syncBuffer{},
	}
	e.campaigns.audit = e.audit
	// The meeting and purge routes are served by a real SQLite store.
	st := storetest.Open(t, storetest.SQLite(t))
	reg := prometheus.NewRegistry()
	s, err := NewServer(Deps{
		Campaigns: e.campaigns, Tokens: e.tokens, Audit: e.audit, DB: e.db,
		Logger:     slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Registerer: reg, Gatherer: reg,
		NewRequestID: func() string { return "generated-id" },
		Replies:      testReplies(t),
		Draws:        testDrawService(t),
		Meetings:     &MeetingDeps{Store: st},
		Purge:        st,
		TokenAdmin:   st,
		Idempotency:  st,
		Invitations:  noInvitations{},
		Schema:       st,
		Console:      http.NotFoundHandler(),
		Members:      testMembers(t, st, nil, nil),
		Recipients:   st,
	})
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	if extra != nil {
		extra(s)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	e.s, e.url = s, srv.URL
	return e
}

// response is what a test request got.
type response struct {
	status int
	header http.Header
	body   []byte
}

// errorBody decodes an error answer.
func (r response) errorBody(t *testing.T) errorDetail {
	t.Helper()
	var b errorBody
	if err := json.Unmarshal(r.body, &b); err != nil {
		t.Fatalf("error body %q is not JSON: %v", r.body, err)
	}
	if b.Error.Code == "" || b.Error.Message == "" {
		t.Fatalf("error body %q: want error.code and error.message", r.body)
	}
	return b.Error
}

// do sends a request with an optional bearer token and body; headers are
// name, value pairs.
func (e *testEnv) do(t testing.TB, method, path, token string, body io.Reader, headers ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, e.url+path, body)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}
