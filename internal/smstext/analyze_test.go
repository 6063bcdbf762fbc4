package smstext_test

import (
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/smstext"
)

func TestAnalyze(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		text     string
		encoding string
		units    int
		segments int
		nonGSM   rune // 0 when none
		position int
	}{
		{"empty", "", smstext.GSM7, 0, 0, 0, 0},
		{"plain ascii", "Hei!", smstext.GSM7, 4, 1, 0, 0},
		{"norwegian letters are gsm", "Blåbærsyltetøy ÆØÅ", smstext.GSM7, 18, 1, 0, 0},
		{"euro counts two", "€", smstext.GSM7, 2, 1, 0, 0},
		{"every extension character counts two", "[]{}\\~^|€", smstext.GSM7, 18, 1, 0, 0},
		{"newline counts one", "a\nb", smstext.GSM7, 3, 1, 0, 0},
		{"160 fits one", strings.Repeat("a", 160), smstext.GSM7, 160, 1, 0, 0},
		{"161 needs two", strings.Repeat("a", 161), smstext.GSM7, 161, 2, 0, 0},
		{"306 fills two parts", strings.Repeat("a", 306), smstext.GSM7, 306, 2, 0, 0},
		{"307 needs three", strings.Repeat("a", 307), smstext.GSM7, 307, 3, 0, 0},
		{"80 euros is 160 septets", strings.Repeat("€", 80), smstext.GSM7, 160, 1, 0, 0},
		{"escape not split across parts", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 10), smstext.GSM7, 164, 2, 0, 0},
		{"escape pushed to next part", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152), smstext.GSM7, 306, 3, 0, 0},
		{"curly quote forces ucs2", "Hei ’du’", smstext.UCS2, 8, 1, '’', 5},
		{"en dash forces ucs2", "kl. 18–21", smstext.UCS2, 9, 1, '–', 7},
		{"em dash forces ucs2", "Hei — du", smstext.UCS2, 8, 1, '—', 5},
		{"emoji counts two units", "Hei 😊", smstext.UCS2, 6, 1, '😊', 5},
		{"backtick is not gsm", "`", smstext.UCS2, 1, 1, '`', 1},
		{"tab is not gsm", "a\tb", smstext.UCS2, 3, 1, '\t', 2},
		{"lower c cedilla is not gsm", "ç", smstext.UCS2, 1, 1, 'ç', 1},
		{"70 ucs2 fits one", "’" + strings.Repeat("a", 69), smstext.UCS2, 70, 1, '’', 1},
		{"71 ucs2 needs two", "’" + strings.Repeat("a", 70), smstext.UCS2, 71, 2, '’', 1},
		{"134 ucs2 fills two", "’" + strings.Repeat("a", 133), smstext.UCS2, 134, 2, '’', 1},
		{"135 ucs2 needs three", "’" + strings.Repeat("a", 134), smstext.UCS2, 135, 3, '’', 1},
		{"surrogate pair not split", "’" + strings.Repeat("a", 65) + "😊" + strings.Repeat("a", 10), smstext.UCS2, 78, 2, '’', 1},
		{"first non-gsm is reported", "æ “sitat” 😊", smstext.UCS2, 12, 1, '“', 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := smstext.Analyze(tt.text)
			if got.Encoding != tt.encoding {
				t.Errorf("Encoding: got %s, want %s", got.Encoding, tt.encoding)
			}
			if got.Units != tt.units {
				t.Errorf("Units: got %d, want %d", got.Units, tt.units)
			}
			if got.Segments != tt.segments {
				t.Errorf("Segments: got %d, want %d", got.Segments, tt.segments)
			}
			switch {
			case tt.nonGSM == 0 && got.FirstNonGSM != nil:
				t.Errorf("FirstNonGSM: got %q at %d, want none", got.FirstNonGSM.Rune, got.FirstNonGSM.Position)
			case tt.nonGSM != 0 && got.FirstNonGSM == nil:
				t.Errorf("FirstNonGSM: got none, want %q at %d", tt.nonGSM, tt.position)
			case tt.nonGSM != 0 && (got.FirstNonGSM.Rune != tt.nonGSM || got.FirstNonGSM.Position != tt.position):
				t.Errorf("FirstNonGSM: got %q at %d, want %q at %d", got.FirstNonGSM.Rune, got.FirstNonGSM.Position, tt.nonGSM, tt.position)
			}
		})
	}
}

// TestAnalyzeAlphabet checks the whole GSM 03.38 default alphabet and its
// extension table: 127 characters at one septet (the 128th code is the
// escape) and 10 at two.
func TestAnalyzeAlphabet(t *testing.T) {
	t.Parallel()
	basic := "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	extension := "\f^{}\\[~]|€"
	if n := len([]rune(basic)); n != 127 {
		t.Fatalf("test table: got %d basic characters, want 127", n)
	}
	for _, r := range basic {
		if got := smstext.Analyze(string(r)); got.Encoding != smstext.GSM7 || got.Units != 1 {
			t.Errorf("Analyze(%q): got %s/%d units, want GSM-7/1", r, got.Encoding, got.Units)
		}
	}
	for _, r := range extension {
		if got := smstext.Analyze(string(r)); got.Encoding != smstext.GSM7 || got.Units != 2 {
			t.Errorf("Analyze(%q): got %s/%d units, want GSM-7/2", r, got.Encoding, got.Units)
		}
	}
	inAlphabet := 0
	for r := rune(0); r < 0x3000; r++ {
		if smstext.Analyze(string(r)).Encoding == smstext.GSM7 {
			inAlphabet++
		}
	}
	if inAlphabet != 137 {
		t.Errorf("characters below U+3000 in GSM-7: got %d, want 137", inAlphabet)
	}
}

func BenchmarkAnalyze(b *testing.B) {
	text := strings.Repeat("Du er trukket ut til innbyggerpanelet i Trondheim. Svar JA innen søndag. ", 4)
	for b.Loop() {
		smstext.Analyze(text)
	}
}
