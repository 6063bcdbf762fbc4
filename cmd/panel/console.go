package main

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/config"
	"github.com/citizenspanel/panel/internal/console"
	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/export"
	"github.com/citizenspanel/panel/internal/inbox"
	"github.com/citizenspanel/panel/internal/invite"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/roster"
	"github.com/citizenspanel/panel/internal/store"
)

// newConsole builds the organiser console on the same services as the
// admin API. Its session cookie is Secure when PANEL_PUBLIC_URL is https.
func newConsole(cfg config.Config, st *store.Store, invitations *invite.Service, inboxService *inbox.Service, draws *draw.Service,
	members *roster.Service, exports *export.Exporter, sched *reminder.Scheduler, now func() time.Time, logger *slog.Logger) (http.Handler, error) {
	c, err := console.New(st, invitations, inboxService, draws, members, exports, st, sched, console.Config{
		Location:      cfg.TimeZone,
		SecureCookies: strings.HasPrefix(cfg.PublicURL, "https://"),
		Logger:        logger,
		Now:           now,
	})
	if err != nil {
		return nil, err
	}
	return c.Handler(), nil
}
