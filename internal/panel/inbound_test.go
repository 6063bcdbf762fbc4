package panel_test

import (
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestInboundNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       panel.InboundSMS
		wantErr  string
		wantBody string
	}{
		{"trims id and numbers", panel.InboundSMS{ProviderID: " SM1 ", From: " +4791000001 ", Body: " ja "}, "", " ja "},
		{"no id", panel.InboundSMS{From: "+47"}, "MessageSid is required", ""},
		{"id with control characters", panel.InboundSMS{ProviderID: "SM\n1", From: "+47"}, "MessageSid must be", ""},
		{"no sender", panel.InboundSMS{ProviderID: "SM1"}, "From is required", ""},
		{"sender too long", panel.InboundSMS{ProviderID: "SM1", From: panel.Phone(strings.Repeat("9", 65))}, "From must be", ""},
		{"recipient with NUL", panel.InboundSMS{ProviderID: "SM1", From: "+47", To: "+47\x00"}, "To must be", ""},
		{"body without NUL, valid UTF-8", panel.InboundSMS{ProviderID: "SM1", From: "+47", Body: "a\x00b\xc3"}, "", "ab\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Normalize()
			if tt.wantErr != "" {
				if panel.ErrorCode(err) != panel.EINVALID || !strings.Contains(panel.ErrorMessage(err), tt.wantErr) {
					t.Errorf("got %v, want EINVALID containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.Body != tt.wantBody || got.ProviderID != strings.TrimSpace(tt.in.ProviderID) {
				t.Errorf("got %+v, %v, want body %q", got, err, tt.wantBody)
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"short", "hei", 10, "hei"},
		{"cut by characters, not bytes", "æøåæøå", 4, "æøåæ"},
		{"exact", "abc", 3, "abc"},
		{"invalid bytes replaced", "\xff", 5, "\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := panel.CleanText(tt.in, tt.limit); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
