package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizenspanel/panel/internal/config"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/sender"
	"github.com/citizenspanel/panel/internal/smssim"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/twiliosms"
)

// statusWebhookPath is where Twilio posts delivery statuses.
const statusWebhookPath = "/webhooks/twilio/status"

// newGateway builds the SMS gateway the configuration names and the
// status callback URL to send with each message. The simulated gateway
// reports its delivery statuses straight to the outbox, as Twilio's
// callbacks would.
func newGateway(cfg config.Config, st *store.Store, now func() time.Time, logger *slog.Logger) (panel.SMSGateway, string, error) {
	if now == nil {
		now = time.Now
	}
	if cfg.SMS == config.SMSTwilio {
		gw, err := twiliosms.New(twiliosms.Config{
			AccountSID:          cfg.Twilio.AccountSID,
			AuthToken:           cfg.Twilio.AuthToken,
			From:                cfg.Twilio.From,
			MessagingServiceSID: cfg.Twilio.MessagingServiceSID,
			BaseURL:             cfg.Twilio.APIBaseURL,
			Logger:              logger,
		})
		if err != nil {
			return nil, "", err
		}
		return gw, cfg.PublicURL + statusWebhookPath, nil
	}
	report := func(ctx context.Context, providerID, status string, code int) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := st.ApplyStatus(ctx, providerID, status, code, now()); err != nil {
			logger.WarnContext(ctx, "simulated status not recorded", slog.String("provider_id", providerID),
				slog.String("status", status), slog.String("error", err.Error()))
		}
	}
	return smssim.New(smssim.Config{Report: report, Logger: logger}), "", nil
}

// newSender returns a sender over the store's outbox, with each
// campaign's send rate and quiet hours (in cfg.TimeZone), that counts its
// outcomes in panel_sms_outcomes_total{outcome,code} on reg, and the SMS
// gateway it sends through, which the status poller shares. Stopping it
// (ending Run's context) lets the batch in hand finish its provider calls
// and record their outcomes; what it had not started goes back to the
// queue or stays leased until its lease runs out, and is reconciled (never
// sent twice) by whichever sender takes it next.
func newSender(ctx context.Context, cfg config.Config, st *store.Store, reg prometheus.Registerer, now func() time.Time, poll time.Duration, logger *slog.Logger) (*sender.Sender, panel.SMSGateway, error) {
	gw, callback, err := newGateway(cfg, st, now, logger)
	if err != nil {
		return nil, nil, err
	}
	outcomes := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "panel_sms_outcomes_total",
		Help: "Outbound SMS send attempts by outcome (sent, adopted, retried, failed, released) and provider error code (0 for none).",
	}, []string{"outcome", "code"})
	if err := reg.Register(outcomes); err != nil {
		return nil, nil, fmt.Errorf("register sms metrics: %w", err)
	}
	owner, err := senderOwner()
	if err != nil {
		return nil, nil, err
	}
	s, err := sender.New(st, gw, sender.Config{
		Owner:             owner,
		StatusCallbackURL: callback,
		Policy:            sender.CampaignPolicy(st),
		Location:          cfg.TimeZone,
		Clock:             now,
		PollInterval:      poll,
		Logger:            logger,
		Observe: func(outcome string, code int) {
			outcomes.WithLabelValues(outcome, strconv.Itoa(code)).Inc()
		},
	})
	if err != nil {
		return nil, nil, err
	}
	logger.InfoContext(ctx, "sender ready", slog.String("owner", owner), slog.String("sms", cfg.SMS))
	return s, gw, nil
}

// senderOwner names this process in outbox leases: host, process id and
// a random suffix, unique among replicas and restarts.
func senderOwner() (string, error) {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "panel"
	}
	raw := make([]byte, 6)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("sender owner: %w", err)
	}
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(raw)), nil
}
