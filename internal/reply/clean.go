package reply

import (
	"strings"
	"unicode/utf8"
)

// splitLines splits body at every kind of line break.
func splitLines(body string) []string {
	return strings.FieldsFunc(body, func(r rune) bool {
		switch r {
		case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
			return true
		}
		return false
	})
}

// isQuotedLine reports whether line quotes an earlier message ("> ...").
func isQuotedLine(line string) bool {
	return strings.HasPrefix(strings.TrimSpace(line), ">")
}

// minQuotationWords is how many words a passage in quote marks needs to be
// taken for a quotation of another message rather than a quoted answer
// (`"Ja"`).
const minQuotationWords = 4

// closingQuote returns the mark that closes a quotation opened by r, or 0.
func closingQuote(r rune) rune {
	switch r {
	case '"':
		return '"'
	case '«':
		return '»'
	case '“':
		return '”'
	case '„':
		return '“'
	}
	return 0
}

// stripQuotations removes from line every passage in quote marks of at
// least minQuotationWords words, such as a phone's "Liked «...»" reaction
// that repeats our invitation, keywords included.
func stripQuotations(line string) string {
	var b strings.Builder
	rest := line
	for {
		i, open := indexQuote(rest)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		after := rest[i+utf8.RuneLen(open):]
		j := strings.IndexRune(after, closingQuote(open))
		if j < 0 {
			b.WriteString(rest)
			return b.String()
		}
		inner := after[:j]
		end := i + utf8.RuneLen(open) + j + utf8.RuneLen(closingQuote(open))
		if len(strings.Fields(inner)) >= minQuotationWords {
			b.WriteString(rest[:i])
			b.WriteByte(' ')
		} else {
			b.WriteString(rest[:end])
		}
		rest = rest[end:]
	}
}

// indexQuote returns the byte index and rune of the first opening quote
// mark in s, or -1.
func indexQuote(s string) (int, rune) {
	for i, r := range s {
		if closingQuote(r) != 0 {
			return i, r
		}
	}
	return -1, 0
}

// isSignatureLine reports whether line starts a signature: "Hilsen Kari",
// "Mvh", "Sendt fra min iPhone", or the "--" delimiter.
func isSignatureLine(line string) bool {
	t := strings.TrimSpace(line)
	if t == "--" || t == "—" {
		return true
	}
	words := tokenize(t)
	for n := min(maxPhraseWords, len(words)); n > 0; n-- {
		if e, ok := lexicon[strings.Join(words[:n], " ")]; ok && e.fam == famSignature {
			return true
		}
	}
	return false
}

// meaningfulLines returns the lines of body that carry the answer: quoted
// lines dropped, long quotations removed, a signature after the first line
// cut off with everything below it, each line trimmed, blank lines dropped.
func meaningfulLines(body string) []string {
	var out []string
	for _, line := range splitLines(body) {
		if isQuotedLine(line) {
			continue
		}
		line = strings.TrimSpace(stripQuotations(line))
		if line == "" {
			continue
		}
		if len(out) > 0 && isSignatureLine(line) {
			break
		}
		out = append(out, line)
	}
	return out
}
