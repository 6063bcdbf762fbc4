package smstext_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
)

var invitationPlaceholders = []string{smstext.Keyword, smstext.Deadline}

func TestParseAndRender(t *testing.T) {
	t.Parallel()
	values := map[string]string{"keyword": "JA", "deadline": "1. desember", "place": "{not a placeholder}"}
	tests := []struct {
		name   string
		text   string
		want   string
		fields []string
	}{
		{"no placeholders", "Hei!", "Hei!", nil},
		{"empty", "", "", nil},
		{"one placeholder", "Svar {keyword}.", "Svar JA.", []string{"keyword"}},
		{"two placeholders", "Svar {keyword} innen {deadline}", "Svar JA innen 1. desember", []string{"keyword", "deadline"}},
		{"repeated placeholder", "{keyword}? {keyword}!", "JA? JA!", []string{"keyword"}},
		{"placeholder only", "{deadline}", "1. desember", []string{"deadline"}},
		{"escaped braces", "{{keyword}} gives {keyword}", "{keyword} gives JA", []string{"keyword"}},
		{"escaped brace around placeholder", "{{{keyword}}}", "{JA}", []string{"keyword"}},
		{"norwegian letters", "Blåbær {keyword}", "Blåbær JA", []string{"keyword"}},
		{"value with braces inserted as is", "Sted: {place}", "Sted: {not a placeholder}", []string{"place"}},
	}
	allowed := append(slices.Clone(invitationPlaceholders), smstext.Place)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tpl, err := smstext.Parse(tt.text, allowed)
			if err != nil {
				t.Fatalf("Parse(%q): got error %v, want none", tt.text, err)
			}
			if got := tpl.Text(); got != tt.text {
				t.Errorf("Text: got %q, want %q", got, tt.text)
			}
			if got := tpl.Placeholders(); !slices.Equal(got, tt.fields) {
				t.Errorf("Placeholders: got %v, want %v", got, tt.fields)
			}
			got, err := tpl.Render(values)
			if err != nil {
				t.Fatalf("Render: got error %v, want none", err)
			}
			if got != tt.want {
				t.Errorf("Render: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []string // all in the message
	}{
		{"unknown placeholder", "Hei {name}, svar {keyword}", []string{"unknown placeholder {name}", "position 5", "{keyword}, {deadline}"}},
		{"unknown after a known one", "Svar {keyword} til {place}", []string{"{place}", "position 20"}},
		{"unclosed at end", "Svar {keyword", []string{"unclosed placeholder", `"{keyword"`, "position 6"}},
		{"unclosed before another", "Svar {keyword innen {deadline}", []string{"unclosed placeholder", `"{keyword"`, "position 6"}},
		{"stray closing brace", "Svar } nå", []string{`"}"`, "position 6", `"}}"`}},
		{"empty placeholder", "Svar {} nå", []string{"empty placeholder", "position 6"}},
		{"upper case name", "Svar {KEYWORD}", []string{"{KEYWORD}", "lower-case"}},
		{"space in name", "Svar {key word}", []string{"{key word}", "lower-case"}},
		{"invalid utf-8", "Svar \xff", []string{"not valid UTF-8"}},
		{"long unclosed excerpt is shortened", "Svar {" + strings.Repeat("x", 50), []string{"unclosed placeholder", "…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tpl, err := smstext.Parse(tt.text, invitationPlaceholders)
			if err == nil {
				t.Fatalf("Parse(%q): got %v, want an error", tt.text, tpl)
			}
			if code := panel.ErrorCode(err); code != panel.EINVALID {
				t.Errorf("code: got %q, want %q", code, panel.EINVALID)
			}
			msg := panel.ErrorMessage(err)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message: got %q, want it to contain %q", msg, w)
				}
			}
		})
	}
}

func TestParseNoPlaceholdersAllowed(t *testing.T) {
	t.Parallel()
	_, err := smstext.Parse("Hei {keyword}", nil)
	if msg := panel.ErrorMessage(err); !strings.Contains(msg, "allows no placeholders") {
		t.Errorf("message: got %q, want it to say no placeholders are allowed", msg)
	}
}

func TestRenderMissingValue(t *testing.T) {
	t.Parallel()
	tpl, err := smstext.Parse("Svar {keyword} innen {deadline}", invitationPlaceholders)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tpl.Render(map[string]string{"keyword": "JA"})
	if code := panel.ErrorCode(err); code != panel.EINVALID {
		t.Fatalf("code: got %q, want %q", code, panel.EINVALID)
	}
	if msg := panel.ErrorMessage(err); !strings.Contains(msg, "{deadline}") {
		t.Errorf("message: got %q, want it to name {deadline}", msg)
	}
}
