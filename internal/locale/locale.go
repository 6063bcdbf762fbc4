// Package locale holds the console's texts in every language it speaks,
// one JSON catalogue per language (embedded), picks a person's language
// from their choice or their browser's Accept-Language, and formats dates
// and numbers the way that language writes them. Norwegian bokmål is the
// default.
package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Language tags the console speaks.
const (
	Bokmal  = "nb"
	English = "en"
)

// Languages are the tags in the order a picker lists them; the first is
// the default.
var Languages = []string{Bokmal, English}

//go:embed catalog/*.json
var files embed.FS

// Catalogues are every language's texts by key. Build it with Load.
type Catalogues struct {
	texts   map[string]map[string]string
	matcher language.Matcher
}

// Load reads the embedded catalogues. It fails when one is malformed or a
// key is missing from a language, so a text without its translation never
// ships.
func Load() (*Catalogues, error) {
	c := &Catalogues{texts: map[string]map[string]string{}}
	for _, lang := range Languages {
		b, err := files.ReadFile("catalog/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("locale: %w", err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("locale: catalogue %s: %w", lang, err)
		}
		c.texts[lang] = m
	}
	if missing := c.Missing(); len(missing) > 0 {
		return nil, fmt.Errorf("locale: keys without every translation: %s", strings.Join(missing, ", "))
	}
	// Norwegian (no) and nynorsk (nn) readers get bokmål before English.
	c.matcher = language.NewMatcher([]language.Tag{language.Make("nb"), language.English, language.Norwegian, language.Make("nn")})
	return c, nil
}

// Missing lists "lang:key" for every key some language lacks.
func (c *Catalogues) Missing() []string {
	all := map[string]bool{}
	for _, m := range c.texts {
		for k := range m {
			all[k] = true
		}
	}
	var out []string
	for _, lang := range Languages {
		for k := range all {
			if _, ok := c.texts[lang][k]; !ok {
				out = append(out, lang+":"+k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Valid reports whether lang is a tag the console speaks.
func Valid(lang string) bool { return lang == Bokmal || lang == English }

// Match returns the language for a person: their choice when it is one
// the console speaks, else the best match of the Accept-Language header,
// else bokmål.
func (c *Catalogues) Match(choice, acceptLanguage string) string {
	if Valid(choice) {
		return choice
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Bokmal
	}
	_, i, conf := c.matcher.Match(tags...)
	if conf == language.No || i != 1 {
		return Bokmal
	}
	return English
}

// Printer writes texts in one language, and dates in one time zone.
type Printer struct {
	Lang  string
	texts map[string]string
	loc   *time.Location
}

// Printer returns the printer of lang (bokmål when lang is unknown) with
// dates in loc.
func (c *Catalogues) Printer(lang string, loc *time.Location) Printer {
	if !Valid(lang) {
		lang = Bokmal
	}
	if loc == nil {
		loc = time.UTC
	}
	return Printer{Lang: lang, texts: c.texts[lang], loc: loc}
}

// T returns the text of key with args put in by fmt.Sprintf. An unknown
// key comes back as itself in brackets, visible but never a crash.
func (p Printer) T(key string, args ...any) string {
	s, ok := p.texts[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// N returns the text of key for the count n: key+".one" when n is 1,
// else key+".other", with n (formatted by Int) put in for %s.
func (p Printer) N(key string, n int) string {
	form := ".other"
	if n == 1 {
		form = ".one"
	}
	return p.T(key+form, p.Int(n))
}

// Has reports whether key has a text.
func (p Printer) Has(key string) bool {
	_, ok := p.texts[key]
	return ok
}

// norwegianMonths are the abbreviations bokmål writes dates with.
var norwegianMonths = [...]string{"jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des."}

// DateTime formats t in the printer's zone: "6. des. 2026 kl. 14:05" in
// bokmål, "6 Dec 2026, 14:05" in English.
func (p Printer) DateTime(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	t = t.In(p.loc)
	if p.Lang == Bokmal {
		return fmt.Sprintf("%d. %s %d kl. %s", t.Day(), norwegianMonths[t.Month()-1], t.Year(), t.Format("15:04"))
	}
	return t.Format("2 Jan 2006, 15:04")
}

// Date formats t's day in the printer's zone: "6. des. 2026" or "6 Dec 2026".
func (p Printer) Date(t time.Time) string {
	t = t.In(p.loc)
	if p.Lang == Bokmal {
		return fmt.Sprintf("%d. %s %d", t.Day(), norwegianMonths[t.Month()-1], t.Year())
	}
	return t.Format("2 Jan 2006")
}

// Int formats n with the language's thousands separator: "4 000" (a
// no-break space) in bokmål, "4,000" in English.
func (p Printer) Int(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := ","
	if p.Lang == Bokmal {
		sep = "\u00a0"
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Decimal formats f with one decimal, with a comma in bokmål.
func (p Printer) Decimal(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if p.Lang == Bokmal {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
