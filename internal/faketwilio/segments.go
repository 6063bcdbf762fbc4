package faketwilio

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// gsm7Basic is the GSM 03.38 default alphabet; gsm7Extension holds the
// characters that take an escape and so count twice.
const (
	gsm7Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsm7Extension = "^{}\\[~]|€\f"
)

// segments returns how many SMS segments body takes: GSM-7 when every
// character is in the GSM alphabet (160 septets alone, 153 per part when
// split), UCS-2 otherwise (70 UTF-16 units alone, 67 per part).
func segments(body string) int {
	septets, gsm := 0, true
	for _, r := range body {
		switch {
		case strings.ContainsRune(gsm7Basic, r):
			septets++
		case strings.ContainsRune(gsm7Extension, r):
			septets += 2
		default:
			gsm = false
		}
	}
	if gsm {
		return parts(septets, 160, 153)
	}
	return parts(len(utf16.Encode([]rune(body))), 70, 67)
}

// parts splits n units into segments of single units alone or multi when split.
func parts(n, single, multi int) int {
	switch {
	case n == 0:
		return 1
	case n <= single:
		return 1
	default:
		return (n + multi - 1) / multi
	}
}

// itoa formats n in decimal.
func itoa(n int) string { return strconv.Itoa(n) }
