// Package console is the organiser console: server-rendered HTML pages,
// in bokmål or English, from which organisers run recruitment and auditors
// read everything. It is a plain http.Handler (package httpapi mounts it
// on the service's engine) that calls the same domain services as the
// admin API. Templates and static assets are embedded; every action works
// without JavaScript; the little script there is only updates the live
// views. One file per page action, as in Miniflux.
package console

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/locale"
	"github.com/citizenspanel/panel/internal/panel"
)

// Store is what the console needs from storage (*store.Store).
type Store interface {
	panel.AccountService
	panel.CampaignService
	panel.AuditLog
	panel.QuotaService
	panel.CampaignEditor
	panel.ConversationReader
	panel.PanelCounter
	// CountMessagesByState counts the campaign's messages of one kind
	// per state, in one query: the live progress.
	CountMessagesByState(ctx context.Context, campaignID int64, kind string) (map[string]int, error)
	// Enqueue puts messages in the outbox (dedup keys make it once only).
	Enqueue(ctx context.Context, msgs []*panel.OutboundMessage) (int, error)
	// PurgeCampaign deletes the personal data of everyone in a campaign
	// whose panel has ended (panel.PurgeService).
	PurgeCampaign(ctx context.Context, campaignID int64) (panel.PurgeResult, error)
	// FindRecipient returns a recipient, or ENOTFOUND.
	FindRecipient(ctx context.Context, id int64) (*panel.Recipient, error)
}

// Inbox is the inbox and pool service (*inbox.Service).
type Inbox interface {
	Inbox(ctx context.Context, campaignID int64, f panel.InboxFilter) ([]*panel.InboundMessage, int, error)
	Resolve(ctx context.Context, campaignID, messageID int64, resolution string) (*panel.InboundMessage, error)
	// Pool returns the campaign's complete volunteers.
	Pool(ctx context.Context, campaignID int64) ([]*panel.Volunteer, error)
}

// Config holds the console's options; zero fields take defaults.
type Config struct {
	// Location is PANEL_TIMEZONE, in which dates are shown. Default UTC.
	Location *time.Location
	// SecureCookies sets the Secure flag on the session cookie: true when
	// PANEL_PUBLIC_URL is https.
	SecureCookies bool
	// SessionTTL is how long a sign-in lasts. Default 12 hours.
	SessionTTL time.Duration
	// Logger receives errors and sign-ins (names only). Default: discard.
	Logger *slog.Logger
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Random is where password salts and form nonces come from. Default
	// crypto/rand.
	Random io.Reader
}

// Console serves the console's pages. Build it with New.
type Console struct {
	store   Store
	invites panel.InvitationService
	inbox   Inbox
	draws   Draws
	members Roster
	exports Exports
	meet    meetings
	cats    *locale.Catalogues
	pages   *pages
	loc     *time.Location
	secure  bool
	ttl     time.Duration
	log     *slog.Logger
	now     func() time.Time
	random  io.Reader
	once    *onceCache
	handler http.Handler
}

// Sign-in throttling: at most this many failures in the window, per name
// and per address, before sign-in is refused without checking.
const (
	throttleWindow    = 15 * time.Minute
	maxFailsByName    = 5
	maxFailsByAddress = 20
)

// Upload limits of the recipient import.
const (
	// MaxUploadBytes is the largest recipient file accepted (about
	// 200,000 rows).
	MaxUploadBytes = 16 << 20
	// formBodyLimit bounds every other form.
	formBodyLimit = 1 << 20
)

// New builds the console on its required dependencies: the store, the
// invitation and inbox services, the draw ceremony (*draw.Service), the
// members list (package roster), the exporter (package export), and the
// meetings' store and reminder scheduler. cfg holds the options.
func New(store Store, invitations panel.InvitationService, inbox Inbox, draws Draws,
	members Roster, exports Exports, meetingStore MeetingStore, scheduler Scheduler, cfg Config) (*Console, error) {
	if store == nil || invitations == nil || inbox == nil || draws == nil || members == nil || exports == nil || meetingStore == nil || scheduler == nil {
		return nil, errors.New("console: store, invitations, inbox, draws, members, exports, meeting store and scheduler are required")
	}
	cats, err := locale.Load()
	if err != nil {
		return nil, err
	}
	pg, err := loadPages()
	if err != nil {
		return nil, err
	}
	c := &Console{
		store: store, invites: invitations, inbox: inbox, draws: draws,
		members: members, exports: exports, meet: meetings{store: meetingStore, scheduler: scheduler},
		cats: cats, pages: pg, loc: cfg.Location, secure: cfg.SecureCookies, ttl: cfg.SessionTTL,
		log: cfg.Logger, now: cfg.Now, random: cfg.Random, once: newOnceCache(),
	}
	if c.loc == nil {
		c.loc = time.UTC
	}
	if c.ttl <= 0 {
		c.ttl = 12 * time.Hour
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.random == nil {
		c.random = rand.Reader
	}
	c.handler = http.NewCrossOriginProtection().Handler(c.routes())
	return c, nil
}

// Handler returns the console's handler. State-changing requests from
// another origin get 403 before any page sees them.
func (c *Console) Handler() http.Handler { return c.handler }

// routes maps every console path to its handler. Pages check the role
// they need; the sign-in pages and the assets need none.
func (c *Console) routes() http.Handler {
	m := http.NewServeMux()
	m.Handle("GET /static/", staticHandler())
	m.HandleFunc("GET /login", c.loginShow)
	m.HandleFunc("POST /login", c.loginCheck)
	m.HandleFunc("POST /logout", c.logout)
	m.HandleFunc("POST /lang", c.setLanguage)

	m.HandleFunc("GET /{$}", c.signedIn(everyone, c.home))
	m.HandleFunc("GET /campaigns", c.signedIn(readers, c.campaignList))
	m.HandleFunc("GET /campaigns/new", c.signedIn(organisers, c.campaignNew))
	m.HandleFunc("POST /campaigns/new", c.signedIn(organisers, c.campaignCreate))
	m.HandleFunc("POST /campaigns/preview", c.signedIn(organisers, c.campaignPreview))
	m.HandleFunc("GET /campaigns/{id}", c.signedIn(readers, c.campaignShow))
	m.HandleFunc("GET /campaigns/{id}/progress", c.signedIn(readers, c.campaignProgress))
	m.HandleFunc("POST /campaigns/{id}/{action}", c.signedIn(organisers, c.campaignAction))
	m.HandleFunc("GET /campaigns/{id}/edit", c.signedIn(organisers, c.campaignEdit))
	m.HandleFunc("POST /campaigns/{id}/edit", c.signedIn(organisers, c.campaignUpdate))
	m.HandleFunc("GET /campaigns/{id}/recipients", c.signedIn(organisers, c.recipientsShow))
	m.HandleFunc("POST /campaigns/{id}/recipients", c.signedIn(organisers, c.recipientsUpload))
	m.HandleFunc("POST /campaigns/{id}/recipients/confirm", c.signedIn(organisers, c.recipientsConfirm))
	c.drawRoutes(m)
	m.HandleFunc("GET /inbox", c.signedIn(readers, c.inboxShow))
	m.HandleFunc("POST /inbox/{mid}/resolve", c.signedIn(organisers, c.inboxResolve))
	m.HandleFunc("POST /inbox/{mid}/reply", c.signedIn(organisers, c.inboxReply))
	m.HandleFunc("GET /audit", c.signedIn(readers, c.auditShow))
	c.memberRoutes(m)
	m.HandleFunc("/", c.notFound)
	return m
}

// Roles allowed on a page.
var (
	readers    = []string{panel.RoleOrganiser, panel.RoleAuditor}
	organisers = []string{panel.RoleOrganiser}
	everyone   = []string{panel.RoleOrganiser, panel.RoleAuditor, panel.RoleCaller}
	callers    = []string{panel.RoleOrganiser, panel.RoleCaller} // who records calls
)

// localPath reports whether next is a path of this site to return to
// after signing in (never another host).
func localPath(next string) bool {
	return strings.HasPrefix(next, "/") && !strings.HasPrefix(next, "//") && !strings.HasPrefix(next, "/\\") &&
		!strings.ContainsAny(next, "\r\n")
}
