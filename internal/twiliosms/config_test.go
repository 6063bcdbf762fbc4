package twiliosms_test

import (
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/twiliosms"
)

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	valid := twiliosms.Config{AccountSID: "AC0123456789abcdef", AuthToken: "s3cretToken", From: "+4759440000"}
	tests := []struct {
		name      string
		edit      func(*twiliosms.Config)
		wantField string // "" when valid
	}{
		{name: "valid with from", edit: func(*twiliosms.Config) {}},
		{name: "valid with messaging service", edit: func(c *twiliosms.Config) { c.From, c.MessagingServiceSID = "", "MG0123" }},
		{name: "valid base url", edit: func(c *twiliosms.Config) { c.BaseURL = "http://127.0.0.1:8089" }},
		{name: "valid base url with slash", edit: func(c *twiliosms.Config) { c.BaseURL = "https://twilio.test/" }},
		{name: "valid timeout", edit: func(c *twiliosms.Config) { c.Timeout = time.Second }},
		{name: "missing sid", edit: func(c *twiliosms.Config) { c.AccountSID = "" }, wantField: "AccountSID"},
		{name: "sid with dash", edit: func(c *twiliosms.Config) { c.AccountSID = "AC-123" }, wantField: "AccountSID"},
		{name: "missing token", edit: func(c *twiliosms.Config) { c.AuthToken = "" }, wantField: "AuthToken"},
		{name: "token with dash", edit: func(c *twiliosms.Config) { c.AuthToken = "abc-def" }, wantField: "AuthToken"},
		{name: "no sender", edit: func(c *twiliosms.Config) { c.From = "" }, wantField: "MessagingServiceSID"},
		{name: "two senders", edit: func(c *twiliosms.Config) { c.MessagingServiceSID = "MG0123" }, wantField: "MessagingServiceSID"},
		{name: "service sid with space", edit: func(c *twiliosms.Config) { c.From, c.MessagingServiceSID = "", "MG 01" }, wantField: "MessagingServiceSID"},
		{name: "relative base url", edit: func(c *twiliosms.Config) { c.BaseURL = "127.0.0.1:8089" }, wantField: "BaseURL"},
		{name: "ftp base url", edit: func(c *twiliosms.Config) { c.BaseURL = "ftp://twilio.test" }, wantField: "BaseURL"},
		{name: "base url with path", edit: func(c *twiliosms.Config) { c.BaseURL = "http://twilio.test/api" }, wantField: "BaseURL"},
		{name: "negative timeout", edit: func(c *twiliosms.Config) { c.Timeout = -time.Second }, wantField: "Timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := valid
			tt.edit(&cfg)
			gw, err := twiliosms.New(cfg)
			if tt.wantField == "" {
				if err != nil || gw == nil {
					t.Fatalf("got error %v, want a gateway", err)
				}
				return
			}
			if code := panel.ErrorCode(err); code != panel.EINVALID {
				t.Fatalf("got %v (code %q), want code %q", err, code, panel.EINVALID)
			}
			if msg := panel.ErrorMessage(err); !strings.Contains(msg, tt.wantField) {
				t.Errorf("got message %q, want it to name %s", msg, tt.wantField)
			}
			if strings.Contains(err.Error(), cfg.AuthToken.Reveal()) && cfg.AuthToken != "" {
				t.Errorf("got message %q, want the token left out", err)
			}
		})
	}
}
