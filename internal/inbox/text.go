package inbox

import (
	"strings"
	"unicode"

	"github.com/citizenspanel/panel/internal/reply"
)

// fold maps accented letters to the letters the dialogue compares; æ, ø
// and å stay themselves, and ä, ö count as æ, ø.
var fold = strings.NewReplacer(
	"é", "e", "è", "e", "ê", "e", "ë", "e", "á", "a", "à", "a", "â", "a", "ó", "o", "ò", "o", "ô", "o",
	"ú", "u", "ù", "u", "ü", "u", "í", "i", "ì", "i", "ä", "æ", "ö", "ø",
)

// apostrophes are dropped by tokenize, so words they join stay one.
var apostrophes = strings.NewReplacer("'", "", "’", "", "`", "")

// tokenize returns the lower-case words and numbers of s, accents folded;
// apostrophes join ("can't" is "cant"), every other non-letter separates.
func tokenize(s string) []string {
	s = fold.Replace(strings.ToLower(s))
	s = apostrophes.Replace(s)
	return joinSpelled(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
}

// joinSpelled joins a keyword spelled out letter by letter ("j a") into
// one word, as the reply parser does, so that its letters count for no
// language ("a" is English).
func joinSpelled(words []string) []string {
	var out []string
	for i := 0; i < len(words); {
		j := i
		for j < len(words) && len([]rune(words[j])) == 1 && unicode.IsLetter([]rune(words[j])[0]) {
			j++
		}
		if w := strings.Join(words[i:j], ""); j-i >= 2 && (englishWords[w] || norwegianWords[w]) {
			out, i = append(out, w), j
			continue
		}
		out, i = append(out, words[i]), i+1
	}
	return out
}

// englishWords and norwegianWords decide the language of a reply.
var (
	englishWords = wordSet("yes yeah yep yup no nope stop unsubscribe cancel quit sure okay thanks thank please " +
		"cant cannot can not confirm confirmed interested attend school secondary higher college degree masters " +
		"university primary compulsory long short the have a hi hello sorry unfortunately will would all dates " +
		"education high postgraduate undergraduate doctorate")
	norwegianWords = wordSet("ja jo nei nej stopp avslutt takk kan ikke ikkje jeg eg har hei gjerne greit " +
		"dessverre diverre bekreft bekrefter stadfest grunnskole videregående vidaregåande fagskole høyere høgare " +
		"lang kort utdanning meld av nr og men er det alle datoene kommer kjem klart selvfølgelig mastergrad hovedfag")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// detectLanguage returns "en" or "nb" when the words lean one way, and ""
// when they carry no signal (only numbers, or as many of each).
func detectLanguage(words []string) string {
	en, nb := 0, 0
	for _, w := range words {
		if englishWords[w] {
			en++
		}
		if norwegianWords[w] {
			nb++
		}
	}
	switch {
	case en > nb:
		return "en"
	case nb > en:
		return "nb"
	}
	return ""
}

// questionWords start a question in Norwegian (bokmål and nynorsk) or
// English.
var questionWords = wordSet("hvem hva hvor når hvorfor hvordan hvilke hvilken hvilket kven kva kvar korleis " +
	"kvifor kor kva for who what when where why how which whom whose")

// asksQuestion reports whether a message asks something a person should
// answer: it starts with a question word, or it has a question mark and
// more than yes, no or the dialogue's keywords ("Ja?" is no question,
// "Når er møtene?" and "hæ?" are).
func asksQuestion(body string, words []string) bool {
	if len(words) > 0 && questionWords[words[0]] {
		return true
	}
	if !strings.ContainsAny(body, "?¿") {
		return false
	}
	for _, w := range words {
		if questionWords[w] || !englishWords[w] && !norwegianWords[w] && !isNumber(w) && !isKeyword(w) {
			return true
		}
	}
	return false
}

// isNumber reports whether w is all digits.
func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}

// isKeyword reports whether the reply parser reads w alone as an answer
// ("ok", "jepp", "👍").
func isKeyword(w string) bool {
	switch reply.Parse(w).Intent {
	case reply.Unclear, reply.Empty:
		return false
	}
	return true
}
