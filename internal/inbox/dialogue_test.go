package inbox

import (
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestDecideEdges(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	invited := func() *panel.Recipient {
		return &panel.Recipient{ID: 7, CampaignID: 3, PseudoID: "rabc", State: panel.RecipientInvited,
			Attributes: map[string]string{"age": "40"}}
	}
	tests := []struct {
		name      string
		body      string
		campaign  string
		recipient *panel.Recipient
		volunteer *panel.Volunteer
		dialogue  panel.DialogueConfig
		wantReply string
		wantInbox bool
		wantOpt   bool
		wantState string
	}{
		{"closed campaign goes to the inbox", "ja", panel.CampaignClosed, invited(), nil, panel.DefaultDialogue(), "", true, false, panel.InboundHandled},
		{"STOP works in a closed campaign", "stop", panel.CampaignClosed, invited(), nil, panel.DefaultDialogue(),
			text("en", msgOptedOut), false, true, panel.InboundHandled},
		{"unknown number", "ja", "", nil, nil, panel.DialogueConfig{}, "", false, false, panel.InboundIgnored},
		{"no questions: yes completes at once", "ja", panel.CampaignSending, invited(), nil,
			panel.DialogueConfig{Attributes: panel.DefaultAttributeRules()}, text("nb", msgComplete), false, false, panel.InboundHandled},
		{"the message language wins over the volunteer's", "STOPP", panel.CampaignSending, invited(),
			&panel.Volunteer{DialogueState: panel.DialogueAsking, Language: "en"}, panel.DefaultDialogue(),
			text("nb", msgOptedOut), false, true, panel.InboundHandled},
		{"no twice is thanked once", "nei", panel.CampaignSending, &panel.Recipient{ID: 7, State: panel.RecipientDeclined}, nil,
			panel.DefaultDialogue(), "", false, false, panel.InboundHandled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := &panel.DialogueSnapshot{Message: &panel.InboundMessage{ID: 1}, Recipient: tt.recipient,
				CampaignState: tt.campaign, Volunteer: tt.volunteer, Dialogue: tt.dialogue}
			out := decide(now, panel.InboundSMS{Body: tt.body}, snap)
			if out.Reply != tt.wantReply || out.ToInbox != tt.wantInbox || out.OptOut != tt.wantOpt || out.MessageState != tt.wantState {
				t.Errorf("got reply %q inbox %t opt-out %t state %q, want %q %t %t %q",
					out.Reply, out.ToInbox, out.OptOut, out.MessageState, tt.wantReply, tt.wantInbox, tt.wantOpt, tt.wantState)
			}
		})
	}
}

func TestAsksQuestion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body string
		want bool
	}{
		{"Hvem er dere?", true},
		{"Ja, gjerne! Når er møtene?", true},
		{"når er møtene", true}, // a question word first, no mark
		{"What is this about", true},
		{"hæ?", true},
		{"Ja?", false},
		{"2?", false},
		{"ok?", false},
		{"Ja takk", false},
		{"Jeg kan, hvis det passer", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := asksQuestion(tt.body, tokenize(tt.body)); got != tt.want {
			t.Errorf("asksQuestion(%q) = %t, want %t", tt.body, got, tt.want)
		}
	}
}
