package smstext_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/citizenspanel/panel/internal/smstext"
)

func FuzzAnalyzeAndTemplate(f *testing.F) {
	for _, s := range []string{"", "Svar {keyword} innen {deadline}", "{{x}}", "{", "}", "€[]", "’😊", "{keyword", strings.Repeat("a", 161)} {
		f.Add(s)
	}
	allowed := []string{smstext.Keyword, smstext.Deadline}
	f.Fuzz(func(t *testing.T, text string) {
		info := smstext.Analyze(text)
		n := utf8.RuneCountInString(text)
		if info.Characters != n {
			t.Fatalf("Characters: got %d, want %d", info.Characters, n)
		}
		if info.Units < n || info.Units > 2*n {
			t.Fatalf("Units: got %d for %d characters, want between %d and %d", info.Units, n, n, 2*n)
		}
		if (info.Segments == 0) != (text == "") {
			t.Fatalf("Segments: got %d for %q", info.Segments, text)
		}
		if (info.Encoding == smstext.UCS2) != (info.FirstNonGSM != nil) {
			t.Fatalf("Encoding %s with FirstNonGSM %v", info.Encoding, info.FirstNonGSM)
		}
		tpl, err := smstext.Parse(text, allowed)
		if err != nil {
			return
		}
		if tpl.Text() != text {
			t.Fatalf("Text: got %q, want %q", tpl.Text(), text)
		}
		out, err := tpl.Render(map[string]string{smstext.Keyword: "", smstext.Deadline: ""})
		if err != nil {
			t.Fatalf("Render with every allowed value: %v", err)
		}
		if len(out) > len(text) {
			t.Fatalf("Render with empty values: got %q, longer than the template %q", out, text)
		}
	})
}
