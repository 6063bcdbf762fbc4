// Package config reads the service's configuration from environment
// variables, fills in the documented defaults and validates every value,
// naming the variable at fault.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	// The embedded time zone database lets PANEL_TIMEZONE resolve in a
	// static binary on a system without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/citizenspanel/panel/internal/panel"
)

// SMS modes.
const (
	SMSSimulated = "simulated" // in-process gateway; messages are logged (redacted) and kept
	SMSTwilio    = "twilio"    // Twilio's REST API
)

// Log formats.
const (
	LogText = "text"
	LogJSON = "json"
)

// Defaults of the variables that have one.
const (
	DefaultDatabaseURL = "sqlite:panel.db"
	DefaultAddr        = ":8080"
	DefaultPublicURL   = "http://localhost:8080"
	DefaultSMS         = SMSSimulated
	DefaultTimeZone    = "Europe/Oslo"
	DefaultLogLevel    = "info"
	DefaultLogFormat   = LogText
)

// Config is the whole configuration of the service. Build it with Load.
type Config struct {
	// DatabaseURL is "sqlite:PATH" or "postgres://..." (PANEL_DATABASE_URL,
	// default "sqlite:panel.db"). It may hold a password; LogValue hides it.
	DatabaseURL string
	// Addr is the listen address, host:port (PANEL_ADDR, default ":8080").
	Addr string
	// PublicURL is the external base URL used for callback URLs and Twilio
	// signature checks (PANEL_PUBLIC_URL, default "http://localhost:8080").
	// It never ends with "/".
	PublicURL string
	// SMS is SMSSimulated or SMSTwilio (PANEL_SMS, default "simulated").
	SMS string
	// Twilio holds the Twilio settings; they are checked only when SMS is
	// SMSTwilio.
	Twilio Twilio
	// TimeZoneName is the IANA name of the time zone of meeting dates and
	// reminder schedules (PANEL_TIMEZONE, default "Europe/Oslo").
	TimeZoneName string
	// TimeZone is TimeZoneName resolved.
	TimeZone *time.Location
	// LogLevel is the lowest level logged (PANEL_LOG_LEVEL: debug, info,
	// warn or error; default info).
	LogLevel slog.Level
	// LogFormat is LogText or LogJSON (PANEL_LOG_FORMAT, default text).
	LogFormat string
}

// Twilio holds the Twilio credentials and sender, under twilio-go's own
// variable names.
type Twilio struct {
	// AccountSID is TWILIO_ACCOUNT_SID (no default).
	AccountSID string
	// AuthToken is TWILIO_AUTH_TOKEN (no default).
	AuthToken panel.Secret
	// From is TWILIO_FROM, the sending number or alphanumeric sender (no default).
	From string
	// MessagingServiceSID is TWILIO_MESSAGING_SERVICE_SID (no default); one
	// of From and MessagingServiceSID is required in twilio mode.
	MessagingServiceSID string
	// APIBaseURL is TWILIO_API_BASE_URL: another server to send Twilio's
	// REST calls to, e.g. a local fake in tests. Empty means Twilio's own.
	APIBaseURL string
}

// Load reads the configuration through getenv (os.Getenv in production),
// applies defaults to unset or empty variables and validates the result. The
// error lists every problem found, each naming its variable.
func Load(getenv func(string) string) (Config, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		DatabaseURL:  get("PANEL_DATABASE_URL", DefaultDatabaseURL),
		Addr:         get("PANEL_ADDR", DefaultAddr),
		PublicURL:    strings.TrimRight(get("PANEL_PUBLIC_URL", DefaultPublicURL), "/"),
		SMS:          get("PANEL_SMS", DefaultSMS),
		TimeZoneName: get("PANEL_TIMEZONE", DefaultTimeZone),
		LogFormat:    get("PANEL_LOG_FORMAT", DefaultLogFormat),
		Twilio: Twilio{
			AccountSID:          get("TWILIO_ACCOUNT_SID", ""),
			AuthToken:           panel.Secret(get("TWILIO_AUTH_TOKEN", "")),
			From:                get("TWILIO_FROM", ""),
			MessagingServiceSID: get("TWILIO_MESSAGING_SERVICE_SID", ""),
			APIBaseURL:          strings.TrimRight(get("TWILIO_API_BASE_URL", ""), "/"),
		},
	}
	var errs []error
	check := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	check(checkDatabaseURL(c.DatabaseURL))
	check(checkAddr(c.Addr))
	check(checkHTTPURL("PANEL_PUBLIC_URL", c.PublicURL))
	tz, err := time.LoadLocation(c.TimeZoneName)
	if err != nil || c.TimeZoneName == "Local" {
		check(fmt.Errorf("PANEL_TIMEZONE: unknown time zone %q", c.TimeZoneName))
	}
	c.TimeZone = tz
	level, err := parseLevel(get("PANEL_LOG_LEVEL", DefaultLogLevel))
	check(err)
	c.LogLevel = level
	if c.LogFormat != LogText && c.LogFormat != LogJSON {
		check(fmt.Errorf("PANEL_LOG_FORMAT must be %q or %q, got %q", LogText, LogJSON, c.LogFormat))
	}
	switch c.SMS {
	case SMSSimulated:
	case SMSTwilio:
		errs = append(errs, checkTwilio(c.Twilio)...)
	default:
		check(fmt.Errorf("PANEL_SMS must be %q or %q, got %q", SMSSimulated, SMSTwilio, c.SMS))
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("configuration: %w", errors.Join(errs...))
	}
	return c, nil
}

func checkDatabaseURL(v string) error {
	if path, ok := strings.CutPrefix(v, "sqlite:"); ok {
		if path == "" {
			return errors.New(`PANEL_DATABASE_URL: "sqlite:" needs a file path, e.g. "sqlite:panel.db"`)
		}
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return errors.New(`PANEL_DATABASE_URL must be "sqlite:PATH" or "postgres://..."`)
	}
	if u.Host == "" {
		return errors.New("PANEL_DATABASE_URL: a postgres URL needs a host")
	}
	return nil
}

func checkAddr(v string) error {
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("PANEL_ADDR: %q is not host:port (e.g. \":8080\" or \"127.0.0.1:8080\")", v)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("PANEL_ADDR: port %q is not a number from 0 to 65535", port)
	}
	return nil
}

func checkHTTPURL(name, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s must be an absolute http(s) URL such as \"https://panel.example.org\", got %q", name, v)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%s must not have a query or fragment, got %q", name, v)
	}
	return nil
}

func parseLevel(v string) (slog.Level, error) {
	switch strings.ToLower(v) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("PANEL_LOG_LEVEL must be debug, info, warn or error, got %q", v)
}

func checkTwilio(t Twilio) []error {
	var errs []error
	if t.AccountSID == "" {
		errs = append(errs, errors.New("TWILIO_ACCOUNT_SID is required when PANEL_SMS=twilio"))
	} else if !alnum(t.AccountSID) {
		errs = append(errs, errors.New("TWILIO_ACCOUNT_SID must be letters and digits only"))
	}
	if t.AuthToken == "" {
		errs = append(errs, errors.New("TWILIO_AUTH_TOKEN is required when PANEL_SMS=twilio"))
	} else if !alnum(t.AuthToken.Reveal()) {
		// The value itself is never echoed: it is a secret.
		errs = append(errs, errors.New("TWILIO_AUTH_TOKEN must be letters and digits only"))
	}
	if t.From == "" && t.MessagingServiceSID == "" {
		errs = append(errs, errors.New("TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required when PANEL_SMS=twilio"))
	}
	if t.MessagingServiceSID != "" && !alnum(t.MessagingServiceSID) {
		errs = append(errs, errors.New("TWILIO_MESSAGING_SERVICE_SID must be letters and digits only"))
	}
	if t.APIBaseURL != "" {
		if err := checkHTTPURL("TWILIO_API_BASE_URL", t.APIBaseURL); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// alnum reports whether s is non-empty and only ASCII letters and digits,
// the only characters twilio-go accepts in credentials.
func alnum(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return s != ""
}
