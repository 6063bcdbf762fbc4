package reply_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/citizenspanel/panel/internal/reply"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "ja", "JA.", "Ja takk!\nHilsen Kari", "ja 😊", "nei", "STOPP", "ja\nstop", "kan ikke", "can't",
		"bekreft", "3", "ja, men nei", "> STOPP", "Ja «Svar JA eller STOPP for å melde deg av»", "\xff\xfe",
		"Nei\r\n--\r\nPer", "👍🏽", "jaaaa", "meld meg av", "J A", "s t o p p", "j a j a",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		got := reply.Parse(body)
		if again := reply.Parse(body); again != got {
			t.Fatalf("Parse(%q) not deterministic: got %+v then %+v", body, got, again)
		}
		if !got.Intent.Valid() {
			t.Fatalf("Parse(%q): got invalid intent %q", body, got.Intent)
		}
		if (got.Intent == reply.Number) != (got.Number >= 1 && got.Number <= 9) {
			t.Fatalf("Parse(%q): got intent %s with number %d", body, got.Intent, got.Number)
		}
		for _, line := range strings.Split(body, "\n") {
			if w := strings.ToLower(strings.TrimSpace(line)); (w == "stop" || w == "stopp") && got.Intent != reply.Stop {
				t.Fatalf("Parse(%q): a line says %q, got %s, want stop", body, w, got.Intent)
			}
		}
		if stopped := reply.Parse(body + "\nSTOP"); stopped.Intent != reply.Stop {
			t.Fatalf("Parse(%q + STOP): got %s, want stop", body, stopped.Intent)
		}
		if got.Intent == reply.Empty && strings.IndexFunc(got.Text, func(r rune) bool {
			return unicode.IsLetter(r) || unicode.IsDigit(r)
		}) >= 0 {
			t.Fatalf("Parse(%q): got empty, but Text %q has words", body, got.Text)
		}
		if got.Text != strings.TrimSpace(got.Text) || strings.Contains(got.Text, "\r") {
			t.Fatalf("Parse(%q): Text %q is not trimmed to lines", body, got.Text)
		}
	})
}
