package smstext

import "unicode/utf8"

// Encodings Analyze reports.
const (
	GSM7 = "GSM-7"
	UCS2 = "UCS-2"
)

// Segment sizes, in GSM-7 septets or UTF-16 code units. A text that does
// not fit one SMS is split into parts that each lose room to the
// concatenation header.
const (
	GSM7Single    = 160
	GSM7Multipart = 153
	UCS2Single    = 70
	UCS2Multipart = 67
)

// Char is a character at a place in a text.
type Char struct {
	Rune     rune
	Position int // counted in characters from 1
}

// Info describes how a text would be sent.
type Info struct {
	Encoding string // GSM7 or UCS2
	// Units is the length in the encoding's units: GSM-7 septets, where
	// extension characters such as € [ ] { } \ ~ ^ | count 2, or UTF-16
	// code units, where emoji outside the basic plane count 2.
	Units int
	// Segments is the number of SMS the text is sent as; 0 for "".
	Segments int
	// FirstNonGSM is the first character outside the GSM-7 alphabet, which
	// forces UCS-2; nil when the text is GSM-7.
	FirstNonGSM *Char
	// Characters is the number of characters (Unicode code points).
	Characters int
}

// Analyze returns how text would be encoded and split into SMS segments.
// Parts are filled the way phones and providers do: an extension character
// or a surrogate pair is never split across two parts, so a long text can
// need one segment more than Units divided by the part size suggests.
func Analyze(text string) Info {
	info := Info{Encoding: GSM7}
	pos := 0
	for _, r := range text {
		pos++
		if _, ok := gsmSeptets(r); !ok && info.FirstNonGSM == nil {
			info.FirstNonGSM = &Char{Rune: r, Position: pos}
			info.Encoding = UCS2
		}
	}
	info.Characters = utf8.RuneCountInString(text)
	cost := func(r rune) int {
		n, _ := gsmSeptets(r)
		return n
	}
	single, multi := GSM7Single, GSM7Multipart
	if info.Encoding == UCS2 {
		cost, single, multi = ucs2Units, UCS2Single, UCS2Multipart
	}
	for _, r := range text {
		info.Units += cost(r)
	}
	switch {
	case info.Units == 0:
		info.Segments = 0
	case info.Units <= single:
		info.Segments = 1
	default:
		info.Segments = countParts(text, cost, multi)
	}
	return info
}

// countParts packs the characters of text into parts of at most size
// units without splitting a character, and returns how many parts it used.
func countParts(text string, cost func(rune) int, size int) int {
	parts, used := 1, 0
	for _, r := range text {
		c := cost(r)
		if used+c > size {
			parts++
			used = 0
		}
		used += c
	}
	return parts
}
