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
// are never accepted unsigned. With TWILIO_ACCOUNT_SID set, a webhook
// whose AccountSid is another account's is refused with 403 too.
func repliesDeps(ctx context.Context, cfg config.Config, st *store.Store, in *inbox.Service, logger *slog.Logger) *httpapi.Replies {
	if cfg.Twilio.AuthToken == "" {
		logger.WarnContext(ctx, "TWILIO_AUTH_TOKEN is not set: every Twilio webhook will be refused with 403, so no reply or delivery status reaches this service. "+
			"To try replies locally, run `panel simulate` (a whole round through a fake Twilio, replies included), "+
			"or set TWILIO_AUTH_TOKEN to any letters and digits and sign test webhooks with it over PANEL_PUBLIC_URL + path (X-Twilio-Signature)",
			slog.String("public_url", cfg.PublicURL))
	} else if cfg.Twilio.AccountSID == "" {
		logger.WarnContext(ctx, "TWILIO_ACCOUNT_SID is not set: the AccountSid of Twilio webhooks is not checked")
	}
	return &httpapi.Replies{
		Validator: twiliosms.NewValidator(cfg.Twilio.AuthToken),
		PublicURL: cfg.PublicURL,
		Account:   cfg.Twilio.AccountSID,
		Inbox:     in,
		Statuses:  st,
		Quotas:    st,
	}
}
