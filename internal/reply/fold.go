package reply

import "unicode"

// fold lower-cases r and removes its accent, keeping the Norwegian letters
// æ, ø and å distinct; the Swedish and German ä and ö become æ and ø.
// Letters it does not know are returned lower-cased.
func fold(r rune) rune {
	r = unicode.ToLower(r)
	switch r {
	case 'à', 'á', 'â', 'ã', 'ā', 'ă', 'ą':
		return 'a'
	case 'ä':
		return 'æ'
	case 'ç', 'ć', 'č':
		return 'c'
	case 'ď', 'đ':
		return 'd'
	case 'è', 'é', 'ê', 'ë', 'ē', 'ė', 'ę', 'ě':
		return 'e'
	case 'ì', 'í', 'î', 'ï', 'ī', 'į', 'ı':
		return 'i'
	case 'ñ', 'ń', 'ň':
		return 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ō', 'ő':
		return 'o'
	case 'ö':
		return 'ø'
	case 'ŕ', 'ř':
		return 'r'
	case 'ś', 'š', 'ş':
		return 's'
	case 'ť', 'ţ':
		return 't'
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů', 'ű':
		return 'u'
	case 'ý', 'ÿ':
		return 'y'
	case 'ź', 'ż', 'ž':
		return 'z'
	}
	return r
}
