package roster

import (
	"fmt"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

// TestChangeFor: the state change each outcome makes from each state.
func TestChangeFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		state, outcome string
		want           string // "to by action", "none" or "conflict"
	}{
		{panel.MemberSelected, panel.CallConfirmed, "confirmed by draw.member_confirmed"},
		{panel.MemberConfirmed, panel.CallConfirmed, "none"},
		{panel.MemberReserve, panel.CallConfirmed, "none"},
		{panel.MemberDeclined, panel.CallConfirmed, "conflict"},
		{panel.MemberDropped, panel.CallConfirmed, "conflict"},
		{panel.MemberSelected, panel.CallDeclined, "declined by draw.member_declined"},
		{panel.MemberConfirmed, panel.CallDeclined, "declined by draw.member_declined"},
		{panel.MemberReserve, panel.CallDeclined, "declined by draw.member_declined"},
		{panel.MemberDeclined, panel.CallDeclined, "none"},
		{panel.MemberSelected, panel.CallReached, "none"},
		{panel.MemberSelected, panel.CallNotReached, "none"},
	}
	for _, tt := range tests {
		c, err := changeFor(&panel.RosterEntry{PseudoID: "p1", State: tt.state}, tt.outcome)
		got := "none"
		switch {
		case panel.ErrorCode(err) == panel.ECONFLICT:
			got = "conflict"
		case err != nil:
			got = err.Error()
		case c != nil:
			got = fmt.Sprintf("%s by %s", c.To, c.Action)
		}
		if got != tt.want {
			t.Errorf("%s from %s: got %s, want %s", tt.outcome, tt.state, got, tt.want)
		}
	}
}
