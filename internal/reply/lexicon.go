package reply

// family is what a phrase signals.
type family int

const (
	famYes family = iota
	famNo
	famStop
	famCantAttend
	famConfirm
	famUnsure    // hesitation that makes any answer unclear: kanskje, vet ikke
	famFiller    // polite words that change nothing: hei, takk, dessverre
	famSignature // starts a signature: hilsen, mvh, sendt fra
)

// mode says where in the message a phrase counts.
type mode int

const (
	anywhere mode = iota // wherever it appears
	atStart              // only as the first words of the message
	alone                // only when it is the whole message (filler aside)
)

// entry is one lexicon entry.
type entry struct {
	fam  family
	mode mode
}

// maxPhraseWords is the length of the longest phrase in the lexicon.
const maxPhraseWords = 3

// lexicon maps canonical phrases (see canon) to what they signal. It is
// built once when the package loads and only read afterwards.
var lexicon = buildLexicon()

// phraseGroup is a list of phrases, in ordinary spelling, that signal the
// same thing. A phrase never contains a filler word: filler is removed from
// a message before its phrases are looked up.
type phraseGroup struct {
	entry   entry
	phrases []string
}

// buildLexicon indexes the phrase groups by canonical phrase.
func buildLexicon() map[string]entry {
	m := make(map[string]entry)
	for _, g := range phraseGroups() {
		for _, p := range g.phrases {
			m[canon(p)] = g.entry
		}
	}
	return m
}

// phraseGroups lists every phrase the parser knows.
func phraseGroups() []phraseGroup {
	return []phraseGroup{
		{entry{famYes, anywhere}, []string{
			"ja", "jada", "jadda", "japp", "jepp", "joda", "jau", "jaudå", "yes", "yeah", "yep", "yup",
			"sure", "ok", "okay", "okei", "greit", "gjerne", "gladly", "absolutt", "selvfølgelig", "sjølvsagt",
			"sjølsagt", "of course", "no problem", "not a problem", "ikke noe problem",
			"ikkje noko problem", "ingen problem", tokenThumbsUp,
		}},
		{entry{famYes, atStart}, []string{"jo", "klart"}},
		{entry{famYes, alone}, []string{"y", "j"}},
		{entry{famNo, anywhere}, []string{
			"nei", "nej", "nope", "nah", "not interested", "ikke interessert", "ikkje interessert",
			"ikke", "ikkje", "vil ikke", "vil ikkje", "ønsker ikke", "ynskjer ikkje", "no way", tokenThumbsDown,
		}},
		{entry{famNo, atStart}, []string{"no"}},
		{entry{famNo, alone}, []string{"n"}},
		{entry{famStop, anywhere}, []string{
			"stopp", "stop", "stopall", "stop all", "avslutt", "avslutte", "unsubscribe", "avmeld", "avmelding",
			"meld av", "meld ut", "opt out", "optout", "slutt å sende", "ikke send flere",
			"ikkje send fleire", "ikke kontakt", "ikkje kontakt",
		}},
		{entry{famStop, alone}, []string{"end", "quit", "cancel", "revoke", "slutt"}},
		{entry{famCantAttend, anywhere}, []string{
			"kan ikke", "kan ikkje", "kan ikkie", "cant", "cannot", "can not", "kommer ikke", "kommer ikkje",
			"kjem ikkje", "får ikke", "får ikkje", "rekker ikke", "rekk ikkje", "forhindret", "unable", "wont make it",
		}},
		{entry{famConfirm, anywhere}, []string{
			"bekreft", "bekrefter", "bekrefta", "bekreftar", "bekreftet", "stadfest", "stadfester", "stadfestar",
			"stadfesta", "confirm", "confirmed", "confirming",
		}},
		{entry{famUnsure, anywhere}, []string{
			"kanskje", "kanskej", "maybe", "perhaps", "not sure", "usikker", "vet ikke", "veit ikkje", "vet ikkje",
			"dont know", "idk", "hva", "what", "kva",
		}},
		{entry{famFiller, anywhere}, []string{
			"hei", "hi", "hello", "hallo", "heisann", "takk", "tusen", "thanks", "thank", "you", "thx", "please",
			"pls", "dessverre", "diverre", "unfortunately", "sadly", "sorry", "beklager", "jeg", "eg", "i", "me",
			"meg", "nr", "nummer", "number", "alternativ", "option", "svar", "svarer",
		}},
		{entry{famSignature, anywhere}, []string{
			"hilsen", "helsing", "mvh", "med vennlig hilsen", "med vennleg helsing", "vennlig hilsen",
			"regards", "best regards", "kind regards", "cheers", "sendt fra", "sendt frå", "sent from",
		}},
	}
}
