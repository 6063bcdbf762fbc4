package reply_test

import (
	"testing"

	"github.com/citizenspanel/panel/internal/reply"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		body   string
		intent reply.Intent
		number int
	}{
		// Yes.
		{"ja", "ja", reply.Yes, 0},
		{"JA upper case", "JA", reply.Yes, 0},
		{"JA with full stop", "JA.", reply.Yes, 0},
		{"ja takk with exclamation", "Ja takk!", reply.Yes, 0},
		{"ja with smiley", "ja 😊", reply.Yes, 0},
		{"ja takk and signature", "Ja takk!\nHilsen Kari", reply.Yes, 0},
		{"ja with mvh signature", "Ja\n\nMvh\nOla Nordmann", reply.Yes, 0},
		{"ja with phone signature", "Ja gjerne\nSendt fra min iPhone", reply.Yes, 0},
		{"signature on the same line", "Ja takk, hilsen Kari", reply.Yes, 0},
		{"jada", "Jada", reply.Yes, 0},
		{"japp", "japp", reply.Yes, 0},
		{"jepp", "Jepp!", reply.Yes, 0},
		{"jaaa stretched", "Jaaaa!!", reply.Yes, 0},
		{"yes", "yes", reply.Yes, 0},
		{"YES please", "YES please", reply.Yes, 0},
		{"yesss stretched", "yesss", reply.Yes, 0},
		{"y alone", "Y", reply.Yes, 0},
		{"j alone", "j", reply.Yes, 0},
		{"J A spelled out", "J A", reply.Yes, 0},
		{"j a with full stop", "j a.", reply.Yes, 0},
		{"N E I spelled out", "N E I", reply.No, 0},
		{"S T O P P spelled out", "S T O P P", reply.Stop, 0},
		{"Y E S spelled out", "Y E S", reply.Yes, 0},
		{"letters that spell nothing", "J X", reply.Unclear, 0},
		{"ok", "OK", reply.Yes, 0},
		{"okay", "Okay!", reply.Yes, 0},
		{"greit", "Greit", reply.Yes, 0},
		{"thumbs up", "👍", reply.Yes, 0},
		{"thumbs up with skin tone", "👍🏽", reply.Yes, 0},
		{"ja in a sentence", "Hei! Ja, jeg vil gjerne være med.", reply.Yes, 0},
		{"nynorsk jau", "Jau, eg vil gjerne vere med", reply.Yes, 0},
		{"nynorsk no means now", "Ja, eg kjem no", reply.Yes, 0},
		{"jo at start", "Jo, det kan jeg", reply.Yes, 0},
		{"no problem is yes", "No problem", reply.Yes, 0},
		{"ikke noe problem is yes", "Ikke noe problem!", reply.Yes, 0},
		{"accent folded", "Jà", reply.Yes, 0},
		{"spaces around", "   ja   ", reply.Yes, 0},
		{"quoted reply below", "Ja\n> Vil du være med i innbyggerpanelet? Svar JA eller NEI. STOPP for å melde av", reply.Yes, 0},
		{"liked reaction quoting the invitation with STOPP", "Ja «Svar JA for å delta, eller STOPP for å melde deg av»", reply.Yes, 0},
		{"quoted single word", `"Ja"`, reply.Yes, 0},
		// No.
		{"nei", "nei", reply.No, 0},
		{"NEI", "NEI", reply.No, 0},
		{"nei takk", "Nei takk.", reply.No, 0},
		{"nei with signature", "Nei takk\nHilsen Per", reply.No, 0},
		{"neii stretched", "Neiii", reply.No, 0},
		{"no", "no", reply.No, 0},
		{"No thanks", "No thanks!", reply.No, 0},
		{"no after greeting", "Hi, no thanks", reply.No, 0},
		{"n alone", "N", reply.No, 0},
		{"nope", "nope", reply.No, 0},
		{"ikke interessert", "Ikke interessert", reply.No, 0},
		{"nynorsk ikkje interessert", "Nei, ikkje interessert", reply.No, 0},
		{"vil ikke", "Jeg vil ikke", reply.No, 0},
		{"thumbs down", "👎", reply.No, 0},
		{"swedish nej", "Nej tack", reply.No, 0},
		// Stop.
		{"stopp", "STOPP", reply.Stop, 0},
		{"stop", "stop", reply.Stop, 0},
		{"Stop with full stop", "Stop.", reply.Stop, 0},
		{"stoppp stretched", "stoppp!!!", reply.Stop, 0},
		{"avslutt", "Avslutt", reply.Stop, 0},
		{"unsubscribe", "unsubscribe", reply.Stop, 0},
		{"avmeld", "avmeld", reply.Stop, 0},
		{"meld av", "Meld av", reply.Stop, 0},
		{"meld meg av", "Meld meg av takk", reply.Stop, 0},
		{"end alone", "END", reply.Stop, 0},
		{"slutt å sende", "Slutt å sende meg SMS", reply.Stop, 0},
		{"ikke send flere", "Nei. Ikke send meg flere meldinger!", reply.Stop, 0},
		{"ikke kontakt meg", "Ikke kontakt meg igjen", reply.Stop, 0},
		{"quit alone", "quit", reply.Stop, 0},
		{"cancel alone", "Cancel", reply.Stop, 0},
		{"stop wins over yes", "Ja. Nei forresten, STOPP", reply.Stop, 0},
		{"stop wins over no", "Nei stopp", reply.Stop, 0},
		{"stop on its own line after yes", "ja\nstop", reply.Stop, 0},
		{"stop after the signature", "Ja\nHilsen Kari\nSTOPP", reply.Stop, 0},
		{"stop with emoji", "STOP 😡", reply.Stop, 0},
		{"end inside a sentence is not stop", "I can't come at the end of January", reply.CantAttend, 0},
		{"stop in a quoted line does not count", "Ja\n> STOPP", reply.Yes, 0},
		// Can't attend.
		{"kan ikke", "kan ikke", reply.CantAttend, 0},
		{"kan dessverre ikke", "Jeg kan dessverre ikke komme 2. desember", reply.CantAttend, 0},
		{"nynorsk kan ikkje", "Eg kan ikkje", reply.CantAttend, 0},
		{"can't straight apostrophe", "can't", reply.CantAttend, 0},
		{"can’t curly apostrophe", "Sorry, I can’t make it", reply.CantAttend, 0},
		{"cannot", "I cannot attend", reply.CantAttend, 0},
		{"can not", "can not", reply.CantAttend, 0},
		{"cant", "cant", reply.CantAttend, 0},
		{"nei kan ikke", "Nei, kan ikke", reply.CantAttend, 0},
		{"no i cannot", "No, I cannot", reply.CantAttend, 0},
		{"kommer ikke", "Kommer ikke i morgen", reply.CantAttend, 0},
		// Confirm.
		{"bekreft", "BEKREFT", reply.Confirm, 0},
		{"bekrefter", "Bekrefter!", reply.Confirm, 0},
		{"ja bekrefter", "Ja, bekrefter", reply.Confirm, 0},
		{"confirm", "confirm", reply.Confirm, 0},
		{"confirmed", "Confirmed, thanks", reply.Confirm, 0},
		{"nynorsk stadfestar", "Eg stadfestar", reply.Confirm, 0},
		// Number.
		{"number 1", "1", reply.Number, 1},
		{"number 3 with full stop", "3.", reply.Number, 3},
		{"number 9 with spaces", " 9 ", reply.Number, 9},
		{"nr 2", "nr 2", reply.Number, 2},
		{"svar 4 takk", "Svar 4, takk", reply.Number, 4},
		{"zero is unclear", "0", reply.Unclear, 0},
		{"ten is unclear", "10", reply.Unclear, 0},
		{"two numbers is unclear", "1 2", reply.Unclear, 0},
		{"number next to yes is yes", "ja 2", reply.Yes, 0},
		// Unclear.
		{"ja men nei", "ja, men nei", reply.Unclear, 0},
		{"yes and can't", "Ja, men kan ikke 20. januar", reply.Unclear, 0},
		{"kanskje", "Kanskje", reply.Unclear, 0},
		{"ja kanskje", "Ja kanskje", reply.Unclear, 0},
		{"question", "Hva er dette?", reply.Unclear, 0},
		{"unknown words", "Videregående skole", reply.Unclear, 0},
		{"only a signature", "Hilsen Kari", reply.Unclear, 0},
		{"only thanks", "Takk!", reply.Unclear, 0},
		{"j inside a sentence is not yes", "j'ai une question", reply.Unclear, 0},
		{"confirm but cannot", "Bekrefter at jeg ikke kan komme", reply.Unclear, 0},
		{"not sure", "Not sure yet", reply.Unclear, 0},
		// Empty.
		{"empty", "", reply.Empty, 0},
		{"whitespace", " \n\t ", reply.Empty, 0},
		{"punctuation", "?!...", reply.Empty, 0},
		{"smiley only", "😊", reply.Empty, 0},
		{"only quoted lines", "> Svar JA eller NEI", reply.Empty, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := reply.Parse(tt.body)
			if got.Intent != tt.intent || got.Number != tt.number {
				t.Errorf("Parse(%q): got %s/%d, want %s/%d", tt.body, got.Intent, got.Number, tt.intent, tt.number)
			}
		})
	}
}

func TestParseText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want string
	}{
		{"trimmed", "  Ja takk!  ", "Ja takk!"},
		{"signature removed", "Ja takk!\nHilsen Kari", "Ja takk!"},
		{"phone signature removed", "Nei\n\nSendt fra min iPhone", "Nei"},
		{"dash delimiter removed", "Master\n--\nKari Nordmann\nTrondheim", "Master"},
		{"quoted lines removed", "Ja\n> Svar JA eller NEI", "Ja"},
		{"blank lines dropped", "Videregående\n\n\nskole", "Videregående\nskole"},
		{"first line kept even if it looks like a signature", "Hilsen Kari", "Hilsen Kari"},
		{"crlf lines", "Bachelor\r\nMvh Per", "Bachelor"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := reply.Parse(tt.body).Text; got != tt.want {
				t.Errorf("Parse(%q).Text: got %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestIntentValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		intent reply.Intent
		want   bool
	}{
		{reply.Yes, true}, {reply.No, true}, {reply.Stop, true}, {reply.CantAttend, true},
		{reply.Confirm, true}, {reply.Number, true}, {reply.Unclear, true}, {reply.Empty, true},
		{"", false}, {"maybe", false}, {"YES", false},
	}
	for _, tt := range tests {
		if got := tt.intent.Valid(); got != tt.want {
			t.Errorf("Intent(%q).Valid(): got %t, want %t", tt.intent, got, tt.want)
		}
	}
}
