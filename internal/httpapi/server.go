// Package httpapi is the service's HTTP surface: the admin API under
// /api/v1, the health and readiness probes, Prometheus metrics and the
// OpenAPI document. It is the only package that imports gin; everything it
// serves goes through the interfaces of package panel.
package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizenspanel/panel/internal/panel"
)

// Deps are what the server needs. Every field is required except Now,
// NewRequestID and RequestTimeout, which have defaults: NewServer names
// any missing one, so no group of routes is ever left out silently.
type Deps struct {
	Campaigns panel.CampaignService
	Tokens    panel.TokenService
	Audit     panel.AuditLog
	// DB is pinged by /readyz.
	DB panel.Pinger
	// Schema is also asked by /readyz whether the database's schema is
	// the version this binary needs.
	Schema SchemaChecker
	// Logger receives one line per request and the details of internal errors.
	Logger *slog.Logger
	// Registerer is where the HTTP metrics are registered; Gatherer is what
	// /metrics serves. Usually both are the same *prometheus.Registry.
	Registerer prometheus.Registerer
	Gatherer   prometheus.Gatherer
	// Now is the clock used to time requests. Default time.Now.
	Now func() time.Time
	// NewRequestID makes an id for a request that brings no usable
	// X-Request-ID header. Default: 26 random base32 characters.
	NewRequestID func() string
	// RequestTimeout bounds the work of one /api/v1 request, so that a
	// database that stops answering gives 503s rather than hung requests.
	// Default DefaultRequestTimeout (30 s).
	RequestTimeout time.Duration
	// ImportTimeout bounds the CSV import routes (recipients, volunteers)
	// instead, so that a file of a million rows has time to be stored.
	// Default DefaultImportTimeout (5 min).
	ImportTimeout time.Duration
	// Replies serves the Twilio webhooks and the inbox and pool routes.
	Replies *Replies
	// Draws serves the draw ceremony (quotas, volunteer import, draws,
	// the public record).
	Draws DrawService
	// Meetings serves the meeting and reminder-policy routes.
	Meetings *MeetingDeps
	// Purge serves POST /api/v1/campaigns/{id}/purge and POST /api/v1/purge.
	Purge panel.PurgeService
	// Idempotency keeps the answers of creating calls sent with an
	// Idempotency-Key header.
	Idempotency IdempotencyStore
	// TokenAdmin serves the API token routes under /api/v1/tokens
	// (organisers only).
	TokenAdmin panel.TokenAdmin
	// Invitations serves the invitation round (recipient import, send,
	// pause, resume, stats) and checks new campaigns' texts.
	Invitations panel.InvitationService
	// Console is the organiser console's handler, served at / and the
	// console's paths (see package console).
	Console http.Handler
	// Members serves the members list, the confirmation calls and the
	// exports.
	Members *MemberDeps
	// Recipients finds people by phone number for organisers, with their
	// messages, and lists failed numbers.
	Recipients RecipientLookup
}

// missing names the required fields of d that are not set.
func (d Deps) missing() []string {
	var names []string
	for _, f := range []struct {
		name  string
		unset bool
	}{
		{"Campaigns", d.Campaigns == nil}, {"Tokens", d.Tokens == nil}, {"Audit", d.Audit == nil},
		{"DB", d.DB == nil}, {"Logger", d.Logger == nil}, {"Registerer", d.Registerer == nil},
		{"Gatherer", d.Gatherer == nil}, {"Replies", d.Replies == nil}, {"Draws", d.Draws == nil},
		{"Meetings", d.Meetings == nil}, {"Meetings.Store", d.Meetings != nil && d.Meetings.Store == nil},
		{"Purge", d.Purge == nil}, {"Invitations", d.Invitations == nil},
		{"Console", d.Console == nil}, {"Idempotency", d.Idempotency == nil}, {"Schema", d.Schema == nil}, {"TokenAdmin", d.TokenAdmin == nil},
		{"Members", d.Members == nil}, {"Members.Roster", d.Members != nil && d.Members.Roster == nil},
		{"Members.Exports", d.Members != nil && d.Members.Exports == nil},
		{"Recipients", d.Recipients == nil},
	} {
		if f.unset {
			names = append(names, "Deps."+f.name)
		}
	}
	return names
}

// DefaultRequestTimeout is the default of Deps.RequestTimeout.
const DefaultRequestTimeout = 30 * time.Second

// Server serves the HTTP API. Build it with NewServer.
type Server struct {
	engine     *gin.Engine
	campaigns  panel.CampaignService
	tokens     panel.TokenService
	audit      panel.AuditLog
	db         panel.Pinger
	schema     SchemaChecker
	logger     *slog.Logger
	gatherer   prometheus.Gatherer
	metrics    *metrics
	now        func() time.Time
	newReqID   func() string
	timeout    time.Duration
	bodyLimits map[string]int64 // "METHOD /route/template" → limit, for routes above DefaultBodyLimit
	importTime time.Duration
	timeouts   map[string]time.Duration // "METHOD /route/template" → time limit, for routes other than timeout
	openAPIDoc []byte                   // the merged OpenAPI document
	replies    *replies
	draws      DrawService
	meetings   *MeetingDeps
	purge      panel.PurgeService
	tokenAdmin panel.TokenAdmin
	idem       IdempotencyStore

	invitations panel.InvitationService
	console     http.Handler
	members     *MemberDeps
	recipients  RecipientLookup
}

// NewServer checks d, registers the HTTP metrics on d.Registerer and sets up
// every route. It fails if a required dependency is missing (naming each)
// or the metrics are already registered.
func NewServer(d Deps) (*Server, error) {
	if missing := d.missing(); len(missing) > 0 {
		return nil, fmt.Errorf("httpapi: missing dependencies: %s", strings.Join(missing, ", "))
	}
	doc, err := buildOpenAPI()
	if err != nil {
		return nil, fmt.Errorf("httpapi: OpenAPI document: %w", err)
	}
	m, err := newMetrics(d.Registerer)
	if err != nil {
		return nil, fmt.Errorf("httpapi: register metrics: %w", err)
	}
	s := &Server{
		campaigns:  d.Campaigns,
		tokens:     d.Tokens,
		audit:      d.Audit,
		db:         d.DB,
		schema:     d.Schema,
		logger:     d.Logger,
		gatherer:   d.Gatherer,
		metrics:    m,
		now:        d.Now,
		newReqID:   d.NewRequestID,
		timeout:    d.RequestTimeout,
		importTime: d.ImportTimeout,
		timeouts:   map[string]time.Duration{},
		bodyLimits: map[string]int64{},
		openAPIDoc: doc,
		draws:      d.Draws,
		meetings:   d.Meetings,
		purge:      d.Purge,
		tokenAdmin: d.TokenAdmin,
		idem:       d.Idempotency,

		invitations: d.Invitations,
		console:     d.Console,
		members:     d.Members,
		recipients:  d.Recipients,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.timeout <= 0 {
		s.timeout = DefaultRequestTimeout
	}
	if s.importTime <= 0 {
		s.importTime = DefaultImportTimeout
	}
	if s.newReqID == nil {
		s.newReqID = randomRequestID
	}
	if err := s.setMeetingScheduler(); err != nil {
		return nil, err
	}
	if err := s.setReplies(d.Replies, d.Registerer); err != nil {
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	s.engine = gin.New()
	s.engine.HandleMethodNotAllowed = true
	// "/api/v1/campaigns/" is a 404 like any unknown path, answered in JSON
	// and logged, rather than a bare redirect that skips the middleware.
	s.engine.RedirectTrailingSlash = false
	s.routes()
	return s, nil
}

// Handler returns the http.Handler that serves every route.
func (s *Server) Handler() http.Handler { return s.engine }

// routes installs the middleware and every route. Middleware order: the
// request id first so that everything after can log it, then the access log
// and metrics (which see the final status, also of a recovered panic), then
// panic recovery, then the body limit, then the NUL rule (nul.go).
func (s *Server) routes() {
	e := s.engine
	e.Use(s.requestID, s.accessLog, s.measure, s.recoverPanic, s.limitBody, s.refuseNULInput)
	e.NoRoute(s.handle(s.noRoute))
	e.NoMethod(s.handle(s.noMethod))

	e.GET("/healthz", s.handle(s.healthz))
	e.GET("/readyz", s.handle(s.readyz))
	e.GET("/metrics", s.serveMetrics)
	e.GET("/api/v1/openapi.json", s.handle(s.openAPI))

	api := e.Group("/api/v1", s.limitTime, s.authenticate)
	api.POST("/campaigns", s.idempotent, s.handle(s.createCampaign))
	api.GET("/campaigns", s.handle(s.listCampaigns))
	api.GET("/campaigns/:id", s.handle(s.getCampaign))
	api.GET("/campaigns/:id/templates", s.handle(s.campaignTemplates))
	api.GET("/templates", s.handle(s.listTemplates))
	api.PATCH("/campaigns/:id", s.handle(s.updateCampaign))
	api.POST("/campaigns/:id/close", s.handle(s.closeCampaign))
	api.GET("/audit", s.handle(s.listAudit))
	api.GET("/audit/verify", s.handle(s.verifyAudit))
	s.replyRoutes(api)
	s.drawRoutes(api)
	s.meetingRoutes(api)
	s.purgeRoutes(api)
	s.invitationRoutes(api)
	s.tokenRoutes(api)
	s.mountConsole(s.console)
	s.memberRoutes(api)
	s.recipientRoutes(api)
}

// handlerFunc is a route handler that returns its error to the one error
// writer instead of writing it itself.
type handlerFunc func(c *gin.Context) error

// handle adapts h to gin, sending any error to writeError.
func (s *Server) handle(h handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.writeError(c, err)
		}
	}
}

func (s *Server) noRoute(c *gin.Context) error {
	return panel.Errorf(panel.ENOTFOUND, "no route %s %s", c.Request.Method, c.Request.URL.Path)
}

func (s *Server) noMethod(c *gin.Context) error {
	return &httpError{
		status:  http.StatusMethodNotAllowed,
		code:    codeMethodNotAllowed,
		message: fmt.Sprintf("method %s is not allowed on %s; allowed: %s", c.Request.Method, c.Request.URL.Path, c.Writer.Header().Get("Allow")),
	}
}
