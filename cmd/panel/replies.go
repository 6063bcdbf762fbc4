package main

import (
	"context"
	"log/slog"

	"github.com/citizenspanel/panel/internal/config"
	"github.com/citizenspanel/panel/internal/httpapi"
	"github.com/citizenspanel/panel/internal/inbox"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/twiliosms"
)

// repliesDeps builds what the Twilio webhooks and the inbox and pool
// routes need, around the inbound SMS service in. Webhook signatures are checked with TWILIO_AUTH_TOKEN
// against PANEL_PUBLIC_URL + path. Without a token (possible only with
// PANEL_SMS=simulated) every webhook call is refused with 403: webhooks
// are never accepted unsigned.
func repliesDeps(ctx context.Context, cfg config.Config, st *store.Store, in *inbox.Service, logger *slog.Logger) *httpapi.Replies {
	if cfg.Twilio.AuthToken == "" {
		logger.WarnContext(ctx, "TWILIO_AUTH_TOKEN is not set: Twilio webhooks will be refused with 403")
	}
	return &httpapi.Replies{
		Validator: twiliosms.NewValidator(cfg.Twilio.AuthToken),
		PublicURL: cfg.PublicURL,
		Inbox:     in,
		Statuses:  st,
		Quotas:    st,
	}
}
