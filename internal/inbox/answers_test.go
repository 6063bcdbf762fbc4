package inbox

import (
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestMatchAnswers(t *testing.T) {
	t.Parallel()
	qs := panel.DefaultDialogue().Questions
	tests := []struct {
		name string
		from int // first question to answer
		body string
		want []string
	}{
		{"number", 0, "2", []string{panel.EducationUpperSec}},
		{"number with filler", 0, "nr. 3 takk", []string{panel.EducationShortHigh}},
		{"Norwegian keyword", 0, "lang høyere", []string{panel.EducationLongHigh}},
		{"keyword in a sentence", 0, "Jeg har mastergrad fra NTNU", []string{panel.EducationLongHigh}},
		{"nynorsk", 0, "vidaregåande", []string{panel.EducationUpperSec}},
		{"English", 0, "upper secondary school", []string{panel.EducationUpperSec}},
		{"longest phrase wins", 0, "lower secondary", []string{panel.EducationCompulsory}},
		{"accents and case", 0, "VIDEREGÅENDE!!", []string{panel.EducationUpperSec}},
		{"both questions", 0, "2 ja", []string{panel.EducationUpperSec, panel.AnswerYes}},
		{"both questions, yes first", 0, "ja, 4", []string{panel.EducationLongHigh, panel.AnswerYes}},
		{"both questions, cannot attend", 0, "4, men kan ikke 2. desember", []string{panel.EducationLongHigh, panel.AnswerNo}},
		{"first match wins", 0, "1 eller 2", []string{panel.EducationCompulsory}},
		{"option label", 0, "grunnskole", []string{panel.EducationCompulsory}},
		{"yes alone does not answer education", 0, "ja", nil},
		{"unknown words", 0, "vet ikke", nil},
		{"empty", 0, "", nil},
		{"yes to attendance", 1, "Ja, det går fint", []string{panel.AnswerYes}},
		{"confirm to attendance", 1, "bekrefter", []string{panel.AnswerYes}},
		{"no to attendance", 1, "nei dessverre", []string{panel.AnswerNo}},
		{"can't attend", 1, "I can't make it", []string{panel.AnswerNo}},
		{"number to attendance", 1, "2", nil},
		{"maybe to attendance", 1, "kanskje", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found := matchAnswers(qs[tt.from:], tokenize(tt.body))
			var got []string
			for _, m := range found {
				got = append(got, m.value)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("answer %d: got %q, want %q", i+1, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestDetectLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body string
		want string
	}{
		{"JA", "nb"},
		{"yes", "en"},
		{"Yes please", "en"},
		{"nei takk", "nb"},
		{"No thanks", "en"},
		{"2", ""},
		{"ok", ""},
		{"I can't", "en"},
		{"Jeg kan ikke", "nb"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			if got := detectLanguage(tokenize(tt.body)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPromptListsOptions(t *testing.T) {
	t.Parallel()
	q := panel.DefaultDialogue().Questions[0]
	tests := []struct {
		lang string
		want string
	}{
		{"nb", "Hva er din høyeste fullførte utdanning? Svar med et tall: 1 grunnskole, 2 videregående, 3 fagskole eller inntil 4 år høyere, 4 mer enn 4 år høyere"},
		{"en", "What is your highest completed education? Reply with a number: 1 compulsory school, 2 upper secondary, 3 vocational college or up to 4 years of higher education, 4 more than 4 years of higher education"},
	}
	for _, tt := range tests {
		if got := prompt(q, tt.lang); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.lang, got, tt.want)
		}
	}
}
