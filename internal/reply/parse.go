package reply

import "strings"

// Parse reads an SMS body. It never fails: a body it cannot read is
// Unclear, one without words is Empty. See the package documentation for
// the rules.
func Parse(body string) Reply {
	var all []string // every word outside quoted lines, signature included
	for _, line := range splitLines(body) {
		if !isQuotedLine(line) {
			all = append(all, joinSpelled(tokenize(stripQuotations(line)))...)
		}
	}
	lines := meaningfulLines(body)
	r := Reply{Text: strings.Join(lines, "\n")}
	if len(all) == 0 {
		r.Intent = Empty
		return r
	}
	if hasStop(withoutFiller(all)) {
		r.Intent = Stop
		return r
	}
	var words []string
	for _, line := range lines {
		words = append(words, joinSpelled(tokenize(line))...)
	}
	content := cutSignature(withoutFiller(words))
	found := families(content)
	switch {
	case found[famStop]:
		r.Intent = Stop
	case found[famUnsure]:
		r.Intent = Unclear
	default:
		r.Intent, r.Number = resolve(found, content)
	}
	return r
}

// resolve turns the families found in content into one intent.
func resolve(found map[family]bool, content []string) (Intent, int) {
	yes, no, cant, confirm := found[famYes], found[famNo], found[famCantAttend], found[famConfirm]
	switch {
	case confirm && !no && !cant:
		return Confirm, 0 // "ja, bekrefter" is a confirmation
	case cant && !yes && !confirm:
		return CantAttend, 0 // "nei, kan ikke" says more than no
	case yes && !no && !cant && !confirm:
		return Yes, 0
	case no && !yes && !cant && !confirm:
		return No, 0
	case yes || no || cant || confirm:
		return Unclear, 0 // a contradiction: "ja, men nei"
	}
	if len(content) == 1 && len(content[0]) == 1 && content[0][0] >= '1' && content[0][0] <= '9' {
		return Number, int(content[0][0] - '0')
	}
	return Unclear, 0
}

// withoutFiller returns words without the polite filler.
func withoutFiller(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if e, ok := lexicon[w]; !ok || e.fam != famFiller {
			out = append(out, w)
		}
	}
	return out
}

// lookup returns the lexicon entry for words[i:i+n], if any.
func lookup(words []string, i, n int) (entry, bool) {
	if i+n > len(words) {
		return entry{}, false
	}
	e, ok := lexicon[strings.Join(words[i:i+n], " ")]
	return e, ok
}

// hasStop reports whether words hold a stop phrase that counts anywhere.
func hasStop(words []string) bool {
	for i := range words {
		for n := 1; n <= maxPhraseWords; n++ {
			if e, ok := lookup(words, i, n); ok && e.fam == famStop && e.mode == anywhere {
				return true
			}
		}
	}
	return false
}

// cutSignature drops a signature that starts after the first word ("ja
// takk hilsen kari" keeps "ja").
func cutSignature(words []string) []string {
	for i := 1; i < len(words); i++ {
		for n := 1; n <= maxPhraseWords; n++ {
			if e, ok := lookup(words, i, n); ok && e.fam == famSignature {
				return words[:i]
			}
		}
	}
	return words
}

// families matches words against the lexicon, longest phrase first, and
// returns the families of the phrases that count where they stand.
func families(words []string) map[family]bool {
	found := make(map[family]bool)
	for i := 0; i < len(words); {
		matched := 0
		for n := min(maxPhraseWords, len(words)-i); n > 0; n-- {
			e, ok := lookup(words, i, n)
			if !ok {
				continue
			}
			if e.mode == atStart && i != 0 || e.mode == alone && (i != 0 || n != len(words)) {
				continue
			}
			found[e.fam] = true
			matched = n
			break
		}
		i += max(matched, 1)
	}
	return found
}
