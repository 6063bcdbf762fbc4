package panel_test

import (
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestDefaultDialogueIsValid(t *testing.T) {
	t.Parallel()
	d := panel.DefaultDialogue()
	if err := d.Validate(); err != nil {
		t.Fatalf("got %v, want the default dialogue to be valid", err)
	}
	if len(d.Questions) != 2 || d.Questions[0].Key != panel.QuestionEducation || !d.Questions[1].MustBeYes {
		t.Errorf("got questions %+v, want education then a must-be-yes attendance question", d.Questions)
	}
	var values []string
	for _, o := range d.Questions[0].Options {
		values = append(values, o.Value)
	}
	if got := strings.Join(values, ","); got != "grunnskole,videregående,kort høyere,lang høyere" {
		t.Errorf("got education values %q, want the four levels", got)
	}
}

func TestDialogueValidate(t *testing.T) {
	t.Parallel()
	opts := func() []panel.Option {
		return []panel.Option{
			{Value: "a", Number: 1, Label: map[string]string{"nb": "A"}},
			{Value: "b", Number: 2, Label: map[string]string{"nb": "B"}},
		}
	}
	choice := func(mod func(*panel.Question)) panel.DialogueConfig {
		q := panel.Question{Key: "q", Kind: panel.QuestionChoice, Text: map[string]string{"nb": "?"}, Options: opts()}
		mod(&q)
		return panel.DialogueConfig{Questions: []panel.Question{q}}
	}
	tests := []struct {
		name string
		cfg  panel.DialogueConfig
		want string
	}{
		{"no key", choice(func(q *panel.Question) { q.Key = "" }), "questions[0].key is required"},
		{"no Norwegian text", choice(func(q *panel.Question) { q.Text = map[string]string{"en": "?"} }), "questions[0].text.nb is required"},
		{"unknown kind", choice(func(q *panel.Question) { q.Kind = "essay" }), `questions[0].kind must be`},
		{"one option", choice(func(q *panel.Question) { q.Options = q.Options[:1] }), "needs at least two options"},
		{"number out of range", choice(func(q *panel.Question) { q.Options[1].Number = 10 }), "options[1].number must be 1 to 9"},
		{"repeated number", choice(func(q *panel.Question) { q.Options[1].Number = 1 }), "options[1].number 1 repeats"},
		{"repeated value", choice(func(q *panel.Question) { q.Options[1].Value = "a" }), `options[1].value "a" repeats`},
		{"must_be_yes on a choice", choice(func(q *panel.Question) { q.MustBeYes = true }), "must_be_yes is only for yesno"},
		{"options on a yes-no", choice(func(q *panel.Question) { q.Kind = panel.QuestionYesNo }), "options must be empty"},
		{"bad attribute rule", panel.DialogueConfig{Attributes: []panel.AttributeRule{{Attribute: "age", Category: "age", Kind: panel.RuleAge}}},
			"attributes[0].bands is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if panel.ErrorCode(err) != panel.EINVALID || !strings.Contains(panel.ErrorMessage(err), tt.want) {
				t.Errorf("got %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}
