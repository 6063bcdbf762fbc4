package panel_test

import (
	"errors"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestNewImportError(t *testing.T) {
	t.Parallel()
	rows := func(n int) []panel.RowError {
		out := make([]panel.RowError, n)
		for i := range out {
			out[i] = panel.RowError{Row: i + 2, Error: "phone number repeats row 1"}
		}
		return out
	}
	tests := []struct {
		name     string
		invalid  bool
		rejected []panel.RowError
		wantCode string
		wantMsg  string
	}{
		{"one duplicate", false, rows(1), panel.ECONFLICT, "1 rows rejected, nothing imported: row 2: phone number repeats row 1"},
		{"invalid wins", true, rows(1), panel.EINVALID, "1 rows rejected, nothing imported: row 2: phone number repeats row 1"},
		{"many are cut short", false, rows(5), panel.ECONFLICT,
			"5 rows rejected, nothing imported: row 2: phone number repeats row 1; row 3: phone number repeats row 1; row 4: phone number repeats row 1; ..."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error = panel.NewImportError(tt.invalid, tt.rejected)
			if code, msg := panel.ErrorCode(err), panel.ErrorMessage(err); code != tt.wantCode || msg != tt.wantMsg {
				t.Errorf("got %q %q, want %q %q", code, msg, tt.wantCode, tt.wantMsg)
			}
			var ie *panel.ImportError
			if !errors.As(err, &ie) || len(ie.Rejected) != len(tt.rejected) {
				t.Errorf("got %v, want an *ImportError with %d rows", err, len(tt.rejected))
			}
		})
	}
}
