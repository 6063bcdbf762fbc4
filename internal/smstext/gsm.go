package smstext

// inGSMBasic reports whether r is in the GSM 03.38 default alphabet, where
// it costs one septet.
func inGSMBasic(r rune) bool {
	if r >= ' ' && r <= '~' {
		switch r {
		case '`', '[', '\\', ']', '^', '{', '|', '}', '~':
			return false
		}
		return true
	}
	switch r {
	case '\n', '\r',
		'£', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', 'Ø', 'ø', 'Å', 'å',
		'Δ', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ',
		'Æ', 'æ', 'ß', 'É', '¤', '¡', 'Ä', 'Ö', 'Ñ', 'Ü', '§', '¿', 'ä', 'ö', 'ñ', 'ü', 'à':
		return true
	}
	return false
}

// inGSMExtension reports whether r is in the GSM 03.38 extension table,
// where it costs two septets (an escape and the character).
func inGSMExtension(r rune) bool {
	switch r {
	case '\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€':
		return true
	}
	return false
}

// gsmSeptets returns what r costs in GSM-7, and false if it is not in the
// alphabet at all.
func gsmSeptets(r rune) (int, bool) {
	switch {
	case inGSMBasic(r):
		return 1, true
	case inGSMExtension(r):
		return 2, true
	}
	return 0, false
}

// ucs2Units returns the number of UTF-16 code units r takes.
func ucs2Units(r rune) int {
	if r > 0xFFFF {
		return 2
	}
	return 1
}
