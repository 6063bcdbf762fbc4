package config

import (
	"log/slog"
	"net/url"
	"strings"
)

// LogValue implements slog.LogValuer. Secrets never reach the log: the
// Twilio auth token is masked and a password in the database URL is replaced
// by "xxxxx".
func (c Config) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("database_url", redactURL(c.DatabaseURL)),
		slog.String("addr", c.Addr),
		slog.String("public_url", c.PublicURL),
		slog.String("sms", c.SMS),
		slog.String("timezone", c.TimeZoneName),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("log_format", c.LogFormat),
	}
	if c.SMS == SMSTwilio {
		attrs = append(attrs, slog.Group("twilio",
			slog.String("account_sid", c.Twilio.AccountSID),
			slog.Any("auth_token", c.Twilio.AuthToken),
			slog.String("from", c.Twilio.From),
			slog.String("messaging_service_sid", c.Twilio.MessagingServiceSID),
			slog.String("api_base_url", c.Twilio.APIBaseURL),
		))
	}
	return slog.GroupValue(attrs...)
}

// redactURL hides the password of a URL; "sqlite:PATH" has none.
func redactURL(v string) string {
	if strings.HasPrefix(v, "sqlite:") {
		return v
	}
	u, err := url.Parse(v)
	if err != nil {
		return "[unparseable]"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
