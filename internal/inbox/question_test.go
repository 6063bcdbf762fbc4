package inbox_test

import (
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestQuestionsReachTheInbox: a question from a resident always reaches a
// person, whatever the dialogue does with the rest of the message.
func TestQuestionsReachTheInbox(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		tests := []struct {
			name      string
			before    []string // sent first
			body      string
			wantReply string
			wantInbox bool
			wantState string // the recipient's state after
		}{
			{"first unclear message", nil, "Hvem er dere?", nbReprompt, true, panel.RecipientInvited},
			{"yes with a question", nil, "Ja, gjerne! Når er møtene?", nbEducation, true, panel.RecipientVolunteered},
			{"no with a question", nil, "Nei takk. Hvorfor meg?", "Takk for svaret", true, panel.RecipientDeclined},
			{"English yes with a question", nil, "Yes please, where are the meetings?", "What is your highest", true, panel.RecipientVolunteered},
			{"answer with a question", []string{"ja"}, "2. Hvor er møtene?", nbAttend, true, panel.RecipientVolunteered},
			{"plain yes", nil, "Ja!", nbEducation, false, panel.RecipientVolunteered},
			{"yes with a question mark only", nil, "ja?", nbEducation, false, panel.RecipientVolunteered},
		}
		e := setup(t, s, len(tests))
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := phone(i + 1)
				for _, b := range tt.before {
					e.send(p, b)
				}
				if got := e.send(p, tt.body); !contains(got, tt.wantReply) {
					t.Errorf("got reply %q, want one with %q", got, tt.wantReply)
				}
				inboxed := false
				for _, m := range e.inbox() {
					if m.Body == tt.body {
						inboxed = true
					}
				}
				if inboxed != tt.wantInbox {
					t.Errorf("in the inbox: %t, want %t", inboxed, tt.wantInbox)
				}
				if got := e.recipient(p).State; got != tt.wantState {
					t.Errorf("recipient state %q, want %q", got, tt.wantState)
				}
			})
		}
	})
}
