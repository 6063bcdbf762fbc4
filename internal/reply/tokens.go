package reply

import (
	"strings"
	"unicode"
)

// Emoji that carry an answer become tokens of their own.
const (
	tokenThumbsUp   = "👍"
	tokenThumbsDown = "👎"
)

// emojiToken returns the token an answering emoji stands for, or "".
func emojiToken(r rune) string {
	switch r {
	case '👍', '👌', '✅', '✔', '☑':
		return tokenThumbsUp
	case '👎', '❌', '✖':
		return tokenThumbsDown
	}
	return ""
}

// isApostrophe reports whether r joins the parts of a contraction
// ("can't"), so that it is dropped rather than splitting the word.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', '`', '´', 'ʼ':
		return true
	}
	return false
}

// tokenize splits s into canonical words: folded (see fold), apostrophes
// removed, every run of a repeated letter shortened to one ("jaaa" and
// "stopp" become "ja" and "stop"), split at anything that is not a letter
// or a digit. Answering emoji are tokens of their own.
func tokenize(s string) []string {
	var out []string
	var b strings.Builder
	var last rune = -1
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
		last = -1
	}
	for _, r := range s {
		switch {
		case isApostrophe(r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			f := fold(r)
			if f != last || unicode.IsDigit(f) {
				b.WriteRune(f)
			}
			last = f
		default:
			flush()
			if e := emojiToken(r); e != "" {
				out = append(out, e)
			}
		}
	}
	flush()
	return out
}

// canon returns phrase (words separated by spaces) in the form tokenize
// gives it, so that the lexicon can be written in ordinary spelling.
func canon(phrase string) string {
	return strings.Join(tokenize(phrase), " ")
}

// joinSpelled joins a word spelled out letter by letter ("J A", "N E I",
// "S T O P P") back into one, when the letters together make a phrase of
// the lexicon; other single letters stay as they are ("j" alone is yes).
func joinSpelled(words []string) []string {
	var out []string
	for i := 0; i < len(words); {
		j := i
		for j < len(words) && isLetter(words[j]) {
			j++
		}
		if j-i >= 2 {
			if w := canon(strings.Join(words[i:j], "")); w != "" {
				if _, ok := lexicon[w]; ok {
					out = append(out, w)
					i = j
					continue
				}
			}
		}
		if j == i {
			j = i + 1
		}
		out = append(out, words[i:j]...)
		i = j
	}
	return out
}

// isLetter reports whether w is one letter.
func isLetter(w string) bool {
	r := []rune(w)
	return len(r) == 1 && unicode.IsLetter(r[0])
}
