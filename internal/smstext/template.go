package smstext

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/citizenspanel/panel/internal/panel"
)

// Placeholders the service's message templates use.
const (
	Keyword      = "keyword"       // the word to answer with, e.g. "JA"
	Deadline     = "deadline"      // the last day to answer
	MeetingTitle = "meeting_title" // a meeting's title
	MeetingDate  = "meeting_date"  // a meeting's date in words
	MeetingTime  = "meeting_time"  // a meeting's start (and end) time
	Place        = "place"         // where a meeting is held
)

// Template is a message text with placeholders written {name}. A literal
// brace is written twice: "{{" and "}}".
type Template struct {
	text  string
	parts []part
}

// part is a literal text or, when name is set, a placeholder.
type part struct {
	literal string
	name    string
}

// Parse reads text as a template whose placeholders must be among allowed.
// It returns an EINVALID *panel.Error naming the first unknown, empty,
// badly written or unclosed placeholder or stray "}", with its position in
// characters from 1, or saying that text is not valid UTF-8.
func Parse(text string, allowed []string) (*Template, error) {
	if !utf8.ValidString(text) {
		return nil, panel.Errorf(panel.EINVALID, "template is not valid UTF-8 text")
	}
	t := &Template{text: text}
	var lit strings.Builder
	runes := []rune(text)
	for i := 0; i < len(runes); i++ {
		switch r := runes[i]; {
		case r == '{' && i+1 < len(runes) && runes[i+1] == '{':
			lit.WriteRune('{')
			i++
		case r == '}' && i+1 < len(runes) && runes[i+1] == '}':
			lit.WriteRune('}')
			i++
		case r == '}':
			return nil, panel.Errorf(panel.EINVALID, `template has a "}" with no "{" before it at position %d (write "}}" for a literal brace)`, i+1)
		case r == '{':
			end := slices.Index(runes[i+1:], '}')
			if next := slices.Index(runes[i+1:], '{'); end < 0 || next >= 0 && next < end {
				return nil, panel.Errorf(panel.EINVALID, "template has an unclosed placeholder %q at position %d", excerpt(runes[i:]), i+1)
			}
			name := string(runes[i+1 : i+1+end])
			if err := checkName(name, i+1, allowed); err != nil {
				return nil, err
			}
			if lit.Len() > 0 {
				t.parts = append(t.parts, part{literal: lit.String()})
				lit.Reset()
			}
			t.parts = append(t.parts, part{name: name})
			i += end + 1
		default:
			lit.WriteRune(r)
		}
	}
	if lit.Len() > 0 {
		t.parts = append(t.parts, part{literal: lit.String()})
	}
	return t, nil
}

// excerpt returns the start of an unclosed placeholder, short enough to
// quote in an error.
func excerpt(runes []rune) string {
	const max = 20
	end := len(runes)
	if i := slices.IndexFunc(runes, func(r rune) bool { return r == ' ' || r == '\n' }); i >= 0 {
		end = i
	}
	if end > max {
		return string(runes[:max]) + "…"
	}
	return string(runes[:end])
}

// checkName checks a placeholder's name written at position pos.
func checkName(name string, pos int, allowed []string) error {
	if name == "" {
		return panel.Errorf(panel.EINVALID, `template has an empty placeholder "{}" at position %d (write "{{}}" for literal braces)`, pos)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return panel.Errorf(panel.EINVALID, "template has a placeholder {%s} at position %d: names use only lower-case letters, digits and underscores", name, pos)
		}
	}
	if !slices.Contains(allowed, name) {
		return panel.Errorf(panel.EINVALID, "template has an unknown placeholder {%s} at position %d; this message allows %s", name, pos, listNames(allowed))
	}
	return nil
}

// listNames writes placeholder names for a message: "{a}, {b}", or "none".
func listNames(names []string) string {
	if len(names) == 0 {
		return "no placeholders"
	}
	braced := make([]string, len(names))
	for i, n := range names {
		braced[i] = "{" + n + "}"
	}
	return strings.Join(braced, ", ")
}

// Text returns the template as written.
func (t *Template) Text() string { return t.text }

// Placeholders returns the names of the placeholders t uses, each once, in
// the order they first appear.
func (t *Template) Placeholders() []string {
	var names []string
	for _, p := range t.parts {
		if p.name != "" && !slices.Contains(names, p.name) {
			names = append(names, p.name)
		}
	}
	return names
}

// Render fills in the placeholders from values. Values are inserted as
// they are (braces in a value are not placeholders); values t does not use
// are ignored. A placeholder without a value is an EINVALID *panel.Error
// naming it.
func (t *Template) Render(values map[string]string) (string, error) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.name == "" {
			b.WriteString(p.literal)
			continue
		}
		v, ok := values[p.name]
		if !ok {
			return "", panel.Errorf(panel.EINVALID, "no value for placeholder {%s}", p.name)
		}
		b.WriteString(v)
	}
	return b.String(), nil
}
