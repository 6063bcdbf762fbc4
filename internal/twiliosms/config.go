package twiliosms

import (
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// DefaultTimeout is the limit on one HTTP request to Twilio when
// Config.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// Config configures a Gateway.
type Config struct {
	// AccountSID is the Twilio account ("AC..."); letters and digits only. Required.
	AccountSID string
	// AuthToken is the account's auth token; letters and digits only. Required.
	AuthToken panel.Secret
	// From is the sender: a phone number in E.164 form or an alphanumeric
	// sender ID. Exactly one of From and MessagingServiceSID must be set.
	From string
	// MessagingServiceSID ("MG...") sends through a Messaging Service, which
	// picks the sender. Exactly one of From and MessagingServiceSID must be set.
	MessagingServiceSID string
	// BaseURL, when set, sends every request to this scheme and host instead
	// of https://api.twilio.com (e.g. a fake Twilio server in tests). It must
	// be an absolute http or https URL without path, query or fragment.
	// Default "": Twilio itself.
	BaseURL string
	// Timeout limits each HTTP request to Twilio, on top of the caller's
	// context. Default DefaultTimeout (10 s).
	Timeout time.Duration
	// Logger receives ids, statuses and error codes, never numbers, texts
	// or secrets. Default: discard.
	Logger *slog.Logger
}

// WithDefaults returns c with Timeout and Logger set to their defaults
// when zero.
func (c Config) WithDefaults() Config {
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// validate checks c and returns the parsed BaseURL (nil for Twilio's own).
// Problems are *panel.Error with code EINVALID naming the field; secrets never
// appear in the message.
func (c Config) validate() (*url.URL, error) {
	if c.AccountSID == "" {
		return nil, panel.Errorf(panel.EINVALID, "twilio: AccountSID is required")
	}
	if !alphanumeric(c.AccountSID) {
		return nil, panel.Errorf(panel.EINVALID, "twilio: AccountSID must contain only letters and digits")
	}
	if c.AuthToken == "" {
		return nil, panel.Errorf(panel.EINVALID, "twilio: AuthToken is required")
	}
	if !alphanumeric(c.AuthToken.Reveal()) {
		return nil, panel.Errorf(panel.EINVALID, "twilio: AuthToken must contain only letters and digits")
	}
	from, service := strings.TrimSpace(c.From), strings.TrimSpace(c.MessagingServiceSID)
	switch {
	case from == "" && service == "":
		return nil, panel.Errorf(panel.EINVALID, "twilio: set either From or MessagingServiceSID")
	case from != "" && service != "":
		return nil, panel.Errorf(panel.EINVALID, "twilio: set only one of From and MessagingServiceSID, not both")
	case service != "" && !alphanumeric(service):
		return nil, panel.Errorf(panel.EINVALID, "twilio: MessagingServiceSID must contain only letters and digits")
	}
	if c.Timeout < 0 {
		return nil, panel.Errorf(panel.EINVALID, "twilio: Timeout must not be negative, got %s", c.Timeout)
	}
	if c.BaseURL == "" {
		return nil, nil
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, panel.Errorf(panel.EINVALID, "twilio: BaseURL %q must be an absolute http or https URL", c.BaseURL)
	}
	if strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, panel.Errorf(panel.EINVALID, "twilio: BaseURL %q must hold only scheme, host and port", c.BaseURL)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// alphanumeric reports whether s holds only ASCII letters and digits, which
// is what twilio-go accepts in credentials.
func alphanumeric(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}
