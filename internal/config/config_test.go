package config_test

import (
	"log/slog"
	"maps"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/config"
)

// env returns a getenv over m.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatalf("Load with no variables: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"DatabaseURL", c.DatabaseURL, "sqlite:panel.db"},
		{"Addr", c.Addr, ":8080"},
		{"PublicURL", c.PublicURL, "http://localhost:8080"},
		{"SMS", c.SMS, config.SMSSimulated},
		{"TimeZoneName", c.TimeZoneName, "Europe/Oslo"},
		{"TimeZone", c.TimeZone.String(), "Europe/Oslo"},
		{"LogLevel", c.LogLevel, slog.LevelInfo},
		{"LogFormat", c.LogFormat, config.LogText},
		{"Twilio.APIBaseURL", c.Twilio.APIBaseURL, ""},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadValid(t *testing.T) {
	twilio := map[string]string{
		"PANEL_SMS":          "twilio",
		"TWILIO_ACCOUNT_SID": "AC0123456789abcdef",
		"TWILIO_AUTH_TOKEN":  "abcdef0123456789",
		"TWILIO_FROM":        "+4791234567",
	}
	tests := []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, c config.Config)
	}{
		{"postgres url", map[string]string{"PANEL_DATABASE_URL": "postgres://u:p@db:5432/panel?sslmode=disable"}, func(t *testing.T, c config.Config) {
			if got, want := c.DatabaseURL, "postgres://u:p@db:5432/panel?sslmode=disable"; got != want {
				t.Errorf("DatabaseURL: got %q, want %q", got, want)
			}
		}},
		{"port zero", map[string]string{"PANEL_ADDR": "127.0.0.1:0"}, func(t *testing.T, c config.Config) {
			if got, want := c.Addr, "127.0.0.1:0"; got != want {
				t.Errorf("Addr: got %q, want %q", got, want)
			}
		}},
		{"public url trailing slash trimmed", map[string]string{"PANEL_PUBLIC_URL": "https://panel.example.org/"}, func(t *testing.T, c config.Config) {
			if got, want := c.PublicURL, "https://panel.example.org"; got != want {
				t.Errorf("PublicURL: got %q, want %q", got, want)
			}
		}},
		{"log level and format", map[string]string{"PANEL_LOG_LEVEL": "DEBUG", "PANEL_LOG_FORMAT": "json"}, func(t *testing.T, c config.Config) {
			if c.LogLevel != slog.LevelDebug || c.LogFormat != config.LogJSON {
				t.Errorf("got level %v format %q, want DEBUG json", c.LogLevel, c.LogFormat)
			}
		}},
		{"time zone", map[string]string{"PANEL_TIMEZONE": "America/New_York"}, func(t *testing.T, c config.Config) {
			if got, want := c.TimeZone.String(), "America/New_York"; got != want {
				t.Errorf("TimeZone: got %q, want %q", got, want)
			}
		}},
		{"twilio with from", twilio, func(t *testing.T, c config.Config) {
			if got, want := c.Twilio.AuthToken.Reveal(), "abcdef0123456789"; got != want {
				t.Errorf("AuthToken: got %q, want %q", got, want)
			}
		}},
		{"twilio with messaging service", merge(twilio, map[string]string{"TWILIO_FROM": "", "TWILIO_MESSAGING_SERVICE_SID": "MG0123", "TWILIO_API_BASE_URL": "http://127.0.0.1:9999/"}), func(t *testing.T, c config.Config) {
			if got, want := c.Twilio.APIBaseURL, "http://127.0.0.1:9999"; got != want {
				t.Errorf("APIBaseURL: got %q, want %q", got, want)
			}
		}},
		{"simulated ignores bad twilio variables", map[string]string{"TWILIO_AUTH_TOKEN": "a-b"}, func(t *testing.T, c config.Config) {
			if c.SMS != config.SMSSimulated {
				t.Errorf("SMS: got %q, want simulated", c.SMS)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Load(env(tt.env))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestLoadInvalid(t *testing.T) {
	twilio := map[string]string{
		"PANEL_SMS":          "twilio",
		"TWILIO_ACCOUNT_SID": "AC0123",
		"TWILIO_AUTH_TOKEN":  "tok0123",
		"TWILIO_FROM":        "+4791234567",
	}
	tests := []struct {
		name string
		env  map[string]string
		want []string // substrings of the error
	}{
		{"addr without port", map[string]string{"PANEL_ADDR": "localhost"}, []string{"PANEL_ADDR: "}},
		{"addr bad port", map[string]string{"PANEL_ADDR": ":99999"}, []string{"PANEL_ADDR: port \"99999\""}},
		{"sms unknown", map[string]string{"PANEL_SMS": "x"}, []string{`PANEL_SMS must be "simulated" or "twilio", got "x"`}},
		{"time zone unknown", map[string]string{"PANEL_TIMEZONE": "X"}, []string{`PANEL_TIMEZONE: unknown time zone "X"`}},
		{"time zone local", map[string]string{"PANEL_TIMEZONE": "Local"}, []string{`PANEL_TIMEZONE: unknown time zone "Local"`}},
		{"database scheme", map[string]string{"PANEL_DATABASE_URL": "mysql://x"}, []string{"PANEL_DATABASE_URL must be"}},
		{"database sqlite without path", map[string]string{"PANEL_DATABASE_URL": "sqlite:"}, []string{"PANEL_DATABASE_URL: \"sqlite:\" needs a file path"}},
		{"public url relative", map[string]string{"PANEL_PUBLIC_URL": "/panel"}, []string{"PANEL_PUBLIC_URL must be an absolute http(s) URL"}},
		{"public url ftp", map[string]string{"PANEL_PUBLIC_URL": "ftp://example.org"}, []string{"PANEL_PUBLIC_URL must be an absolute http(s) URL"}},
		{"log level", map[string]string{"PANEL_LOG_LEVEL": "loud"}, []string{`PANEL_LOG_LEVEL must be debug, info, warn or error, got "loud"`}},
		{"log format", map[string]string{"PANEL_LOG_FORMAT": "xml"}, []string{`PANEL_LOG_FORMAT must be "text" or "json", got "xml"`}},
		{"twilio nothing set", map[string]string{"PANEL_SMS": "twilio"}, []string{
			"TWILIO_ACCOUNT_SID is required", "TWILIO_AUTH_TOKEN is required", "TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required"}},
		{"twilio no sender", merge(twilio, map[string]string{"TWILIO_FROM": ""}), []string{"TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required"}},
		{"twilio sid not alnum", merge(twilio, map[string]string{"TWILIO_ACCOUNT_SID": "AC-1"}), []string{"TWILIO_ACCOUNT_SID must be letters and digits only"}},
		{"twilio token not alnum", merge(twilio, map[string]string{"TWILIO_AUTH_TOKEN": "to-ken"}), []string{"TWILIO_AUTH_TOKEN must be letters and digits only"}},
		{"twilio base url", merge(twilio, map[string]string{"TWILIO_API_BASE_URL": "localhost:9"}), []string{"TWILIO_API_BASE_URL must be an absolute http(s) URL"}},
		{"several problems reported together", map[string]string{"PANEL_ADDR": "x", "PANEL_SMS": "y"}, []string{"PANEL_ADDR: ", `PANEL_SMS must be`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Load(env(tt.env))
			if err == nil {
				t.Fatalf("Load: got nil error, want one containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error: got %q, want it to contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "to-ken") {
				t.Errorf("error %q reveals the auth token", err)
			}
		})
	}
}

func TestLogValueMasksSecrets(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"PANEL_DATABASE_URL": "postgres://panel:hunter2@db:5432/panel?sslmode=disable&password=hunter3",
		"PANEL_SMS":          "twilio",
		"TWILIO_ACCOUNT_SID": "AC0123",
		"TWILIO_AUTH_TOKEN":  "s3cretT0ken",
		"TWILIO_FROM":        "+4791234567",
	}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var b strings.Builder
			var h slog.Handler = slog.NewTextHandler(&b, nil)
			if format == "json" {
				h = slog.NewJSONHandler(&b, nil)
			}
			slog.New(h).Info("starting", "config", c)
			out := b.String()
			for _, secret := range []string{"hunter2", "hunter3", "s3cretT0ken"} {
				if strings.Contains(out, secret) {
					t.Errorf("log line %q contains secret %q", out, secret)
				}
			}
			for _, want := range []string{"db:5432", "AC0123", "[redacted]", "Europe/Oslo"} {
				if !strings.Contains(out, want) {
					t.Errorf("log line %q: want it to contain %q", out, want)
				}
			}
		})
	}
}

func merge(a, b map[string]string) map[string]string {
	m := maps.Clone(a)
	maps.Copy(m, b)
	return m
}
