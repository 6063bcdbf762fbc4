package httpapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestCreateCampaignWarns: a campaign whose invitation does not say what to
// answer, or whose reply_by date has passed, is stored (201) and the answer
// says why it is likely a mistake.
func TestCreateCampaignWarns(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		e := setupInvite(t, st)
		tests := []struct {
			name, text, replyBy string
			want                []string // substrings, one per warning, in order
		}{
			{"placeholder", "Hei! Svar {keyword}.", "", nil},
			{"keyword written out", "Hei! Svar ja om du vil være med.", "2099-01-31", nil},
			{"no keyword", "Hei! Vil du være med i panelet?", "", []string{"invitation_text does not say how to answer"}},
			{"keyword inside a word only", "Hei! Jammen, vil du være med?", "", []string{"invitation_text does not say how to answer"}},
			{"reply by in the past", "Hei! Svar {keyword} innen {deadline}.", "2020-03-01", []string{"reply_by 2020-03-01 is in the past"}},
			{"both", "Hei!", "2020-03-01", []string{"invitation_text does not say how to answer", "reply_by 2020-03-01 is in the past"}},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				body, _ := json.Marshal(map[string]any{"name": fmt.Sprintf("warn %d", i), "invitation_text": tt.text, "reply_by": tt.replyBy})
				r := e.do(t, "POST", "/api/v1/campaigns", e.org, strings.NewReader(string(body)))
				if r.status != 201 {
					t.Fatalf("got %d %s, want 201 (warnings never refuse)", r.status, r.body)
				}
				var got struct {
					ID       int64    `json:"id"`
					Warnings []string `json:"warnings"`
				}
				if err := json.Unmarshal(r.body, &got); err != nil {
					t.Fatal(err)
				}
				if got.ID == 0 {
					t.Fatalf("answer %s has no id", r.body)
				}
				if len(got.Warnings) != len(tt.want) {
					t.Fatalf("warnings: got %q, want %d containing %q", got.Warnings, len(tt.want), tt.want)
				}
				for j, w := range tt.want {
					if !strings.Contains(got.Warnings[j], w) {
						t.Errorf("warning %d: got %q, want it to contain %q", j, got.Warnings[j], w)
					}
				}
				if _, err := st.FindCampaignByID(t.Context(), got.ID); err != nil {
					t.Errorf("campaign %d not stored: %v", got.ID, err)
				}
			})
		}
	})
}
