package reply_test

import (
	"testing"

	"github.com/citizenspanel/panel/internal/reply"
)

func TestOptOutType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		v    string
		want bool
	}{
		{"stop", "STOP", true},
		{"lower case", "stop", true},
		{"padded", " STOP ", true},
		{"start", "START", false},
		{"help", "HELP", false},
		{"empty", "", false},
		{"stopp is not a Twilio value", "STOPP", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := reply.OptOutType(tt.v); got != tt.want {
				t.Errorf("OptOutType(%q): got %t, want %t", tt.v, got, tt.want)
			}
		})
	}
}
