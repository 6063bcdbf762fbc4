package inbox_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// Reply fragments the tests recognise.
const (
	nbEducation = "Hva er din høyeste fullførte utdanning?"
	enEducation = "What is your highest completed education?"
	nbAttend    = "Kan du delta på alle de fire møtedatoene?"
	enAttend    = "Can you attend all four meeting dates?"
	nbComplete  = "Du er nå med i trekningen"
	enComplete  = "You are now in the draw"
	nbDeclined  = "Takk for svaret. Ha en fin dag!"
	enDeclined  = "Thank you for your answer. Have a nice day!"
	nbStop      = "Du er meldt av"
	enStop      = "You are unsubscribed"
	nbReprompt  = "Svar JA hvis du vil være med"
	enReprompt  = "Reply YES to join"
	nbReask     = "Vi forstod ikke svaret."
	nbCannot    = "Deltakerne må kunne møte på alle datoene"
	nbAlready   = "Du er allerede registrert"
)

func TestKeywordFamilies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		body      string
		optOut    string
		wantState string
		wantReply string
	}{
		{"JA", "JA", "", panel.RecipientVolunteered, nbEducation},
		{"ja takk", "ja takk", "", panel.RecipientVolunteered, nbEducation},
		{"J", "J", "", panel.RecipientVolunteered, nbEducation},
		{"jada with emoji", "Jada 👍", "", panel.RecipientVolunteered, nbEducation},
		{"YES", "YES", "", panel.RecipientVolunteered, enEducation},
		{"yes please", "Yes please!", "", panel.RecipientVolunteered, enEducation},
		{"Y", "Y", "", panel.RecipientVolunteered, nbEducation},
		{"NEI", "NEI", "", panel.RecipientDeclined, nbDeclined},
		{"nei takk", "nei takk", "", panel.RecipientDeclined, nbDeclined},
		{"NO", "NO", "", panel.RecipientDeclined, enDeclined},
		{"no thanks", "No thanks", "", panel.RecipientDeclined, enDeclined},
		{"N", "n", "", panel.RecipientDeclined, nbDeclined},
		{"kan ikke", "Kan ikke, dessverre", "", panel.RecipientDeclined, nbDeclined},
		{"STOPP", "STOPP", "", panel.RecipientOptedOut, nbStop},
		{"STOP", "STOP", "", panel.RecipientOptedOut, enStop},
		{"AVSLUTT", "avslutt", "", panel.RecipientOptedOut, nbStop},
		{"UNSUBSCRIBE", "UNSUBSCRIBE", "", panel.RecipientOptedOut, enStop},
		{"stop wins over yes", "Ja. Nei forresten, STOPP", "", panel.RecipientOptedOut, nbStop},
		{"OptOutType", "Stop it", "STOP", panel.RecipientOptedOut, enStop},
		{"OptOutType with an unclear body", "hmm", "STOP", panel.RecipientOptedOut, nbStop},
		{"unclear Norwegian", "Hvem er dere?", "", panel.RecipientInvited, nbReprompt},
		{"unclear English", "Who are you, please?", "", panel.RecipientInvited, enReprompt},
		{"empty", "", "", panel.RecipientInvited, nbReprompt},
	}
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := setup(t, s, len(tests))
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e.t = t
				p := phone(i + 1)
				got := e.sendSMS(panelSMS(e, p, tt.body, tt.optOut))
				if !strings.Contains(got, tt.wantReply) {
					t.Errorf("got reply %q, want it to contain %q", got, tt.wantReply)
				}
				if r := e.recipient(p); r.State != tt.wantState {
					t.Errorf("got recipient state %q, want %q", r.State, tt.wantState)
				}
				v := e.volunteer(p)
				if wantVolunteer := tt.wantState == panel.RecipientVolunteered; (v != nil) != wantVolunteer {
					t.Errorf("got volunteer %+v, want one: %t", v, wantVolunteer)
				}
			})
		}
	})
}

func panelSMS(e *env, p panel.Phone, body, optOut string) panel.InboundSMS {
	return panel.InboundSMS{ProviderID: fmt.Sprintf("SMk%06d", e.seq.Add(1)), From: p, To: "+4759440000", Body: body, OptOutType: optOut}
}

func TestFullDialogue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		messages []string
		replies  []string // fragments, one per message
		wantEdu  string
		wantLang string
	}{
		{"Norwegian, one answer per message", []string{"Ja", "lang høyere", "ja, det kan jeg"},
			[]string{nbEducation, nbAttend, nbComplete}, panel.EducationLongHigh, panel.LangNorwegian},
		{"English, numbers", []string{"Yes", "3", "yes"},
			[]string{enEducation, enAttend, enComplete}, panel.EducationShortHigh, panel.LangEnglish},
		{"both answers in one message", []string{"ja", "2 ja"},
			[]string{nbEducation, nbComplete}, panel.EducationUpperSec, panel.LangNorwegian},
		{"keyword and yes in one message", []string{"JA!", "Jeg har master, og kommer gjerne på alle"},
			[]string{nbEducation, nbComplete}, panel.EducationLongHigh, panel.LangNorwegian},
		{"language switches with the last keyword", []string{"ja", "upper secondary", "yes"},
			[]string{nbEducation, enAttend, enComplete}, panel.EducationUpperSec, panel.LangEnglish},
		{"invalid answer re-asked once", []string{"ja", "vet ikke helt", "grunnskole", "ja"},
			[]string{nbEducation, nbReask + " " + nbEducation, nbAttend, nbComplete}, panel.EducationCompulsory, panel.LangNorwegian},
	}
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := setup(t, s, len(tests))
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e.t = t
				p := phone(i + 1)
				for j, m := range tt.messages {
					if got := e.send(p, m); !strings.Contains(got, tt.replies[j]) {
						t.Fatalf("message %d %q: got reply %q, want it to contain %q", j+1, m, got, tt.replies[j])
					}
				}
				v := e.volunteer(p)
				if v == nil || !v.Complete || v.DialogueState != panel.DialogueFinished {
					t.Fatalf("got volunteer %+v, want a complete one", v)
				}
				if v.Values[panel.CategoryEducation] != tt.wantEdu || v.Language != tt.wantLang {
					t.Errorf("got education %q language %q, want %q and %q", v.Values[panel.CategoryEducation], v.Language, tt.wantEdu, tt.wantLang)
				}
				r := e.recipient(p)
				if v.ExternalID != r.PseudoID || v.Source != panel.SourceSMS {
					t.Errorf("got external id %q source %q, want the pseudonym %q and sms", v.ExternalID, v.Source, r.PseudoID)
				}
				for _, cat := range []string{panel.CategoryAge, panel.CategoryGender, panel.CategoryDistrict} {
					if v.Values[cat] == "" {
						t.Errorf("got no %s value in %v, want one mapped from the register", cat, v.Values)
					}
				}
				answers, err := e.s.ListAnswers(e.ctx, v.ID)
				if err != nil || len(answers) != 2 {
					t.Fatalf("ListAnswers: got %v, %v, want 2 answers", answers, err)
				}
				if answers[0].Answer != tt.wantEdu || answers[1].Answer != panel.AnswerYes {
					t.Errorf("got answers %+v, want %q and yes", answers, tt.wantEdu)
				}
			})
		}
	})
}

func TestRegisterMapping(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := setup(t, s, 2)
		e.send(phone(2), "ja")
		v := e.volunteer(phone(2))
		// Row 2: birth year 1951, mann, Østbyen; 2026-1951 = 75.
		want := map[string]string{"age": "75+", "gender": "mann", "district": "østbyen"}
		for k, w := range want {
			if v.Values[k] != w {
				t.Errorf("got %s=%q, want %q (values %v)", k, v.Values[k], w, v.Values)
			}
		}
	})
}
