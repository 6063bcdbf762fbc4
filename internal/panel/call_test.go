package panel_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestCallInputNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       panel.CallInput
		wantTags []string
		wantErr  string // "" for none
	}{
		{"outcome only", panel.CallInput{Outcome: panel.CallReached}, []string{}, ""},
		{"tags folded, repeats dropped, fixed order", panel.CallInput{Outcome: panel.CallConfirmed, SupportTags: []string{" Diet", "access", "diet", "OTHER"}}, []string{"access", "diet", "other"}, ""},
		{"unknown outcome", panel.CallInput{Outcome: "maybe"}, nil, "outcome must be one of"},
		{"empty outcome", panel.CallInput{}, nil, "outcome must be one of"},
		{"unknown tag", panel.CallInput{Outcome: panel.CallReached, SupportTags: []string{"wheelchair"}}, nil, `"wheelchair" is not one of`},
		{"long text", panel.CallInput{Outcome: panel.CallReached, SupportNeeds: strings.Repeat("æ", panel.MaxSupportNeedsLength+1)}, nil, "at most 1000 characters"},
		{"text at the limit", panel.CallInput{Outcome: panel.CallReached, SupportNeeds: strings.Repeat("æ", panel.MaxSupportNeedsLength)}, []string{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Normalize()
			if tt.wantErr != "" {
				if panel.ErrorCode(err) != panel.EINVALID || !strings.Contains(panel.ErrorMessage(err), tt.wantErr) {
					t.Errorf("got %v, want invalid naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got.SupportTags, tt.wantTags) {
				t.Errorf("got %v, %v; want tags %v", got.SupportTags, err, tt.wantTags)
			}
		})
	}
}

func TestSeesPhones(t *testing.T) {
	t.Parallel()
	for role, want := range map[string]bool{panel.RoleOrganiser: true, panel.RoleCaller: true, panel.RoleAuditor: false, "system": false, "": false} {
		if got := panel.SeesPhones(role); got != want {
			t.Errorf("SeesPhones(%q): got %t, want %t", role, got, want)
		}
	}
}
