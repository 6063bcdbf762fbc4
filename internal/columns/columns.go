// Package columns names the columns of the files organisers import. It
// recognises the headers Norwegian and English organisers write (Mobil,
// Telefon, Kjønn, Bydel, Phone, Gender, ...) and applies an explicit
// mapping given with the import, and it says which column became what.
package columns

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
)

// The names columns are read as.
const (
	Phone     = "phone"
	Gender    = "gender"
	Age       = "age"
	BirthYear = "birth_year"
	District  = "district"
	Education = "education"
	Address   = "address"
	Postcode  = "postcode"
	ID        = "id"
)

// How a column got its name (panel.ColumnAssignment.By).
const (
	ByName    = "name"
	ByAlias   = "alias"
	ByMapping = "mapping"
)

// aliases maps a folded header (see Fold) to the name it is read as.
var aliases = map[string]string{
	"mobil": Phone, "mobilnummer": Phone, "mobilnr": Phone, "telefon": Phone, "telefonnummer": Phone,
	"telefonnr": Phone, "tlf": Phone, "tlf nr": Phone, "mobile": Phone, "mobile number": Phone,
	"mobile phone": Phone, "phone number": Phone, "telephone": Phone, "cell": Phone,
	"kjønn": Gender, "kjonn": Gender, "sex": Gender,
	"alder":     Age,
	"fødselsår": BirthYear, "fodselsar": BirthYear, "født": BirthYear, "birth year": BirthYear,
	"year of birth": BirthYear, "birthyear": BirthYear,
	"bydel": District, "borough": District, "område": District,
	"utdanning": Education, "utdanningsnivå": Education, "education level": Education,
	"adresse": Address, "gateadresse": Address, "street address": Address, "bostedsadresse": Address,
	"postnummer": Postcode, "postnr": Postcode, "post code": Postcode, "postal code": Postcode,
	"zip": Postcode, "zip code": Postcode,
}

// Known returns the recognised headers per name, sorted, for documentation
// and error messages.
func Known() map[string][]string {
	out := map[string][]string{}
	for alias, name := range aliases {
		out[name] = append(out[name], alias)
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

// Fold is the matching key of a header: trimmed, lower-cased, with "_",
// "-" and runs of spaces as one space.
func Fold(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(h)
	return strings.Join(strings.Fields(h), " ")
}

// nameRE is what a mapping may name a column as.
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// ParseMapping reads an import's columns parameter: either
// "phone:Tlf,district:Område" (name, colon, header; pairs separated by
// commas) or a JSON object {"phone": "Tlf"}. Names are lower-cased. An
// empty string is no mapping. Problems are EINVALID naming the pair.
func ParseMapping(s string) (panel.ColumnMapping, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	m := panel.ColumnMapping{}
	if strings.HasPrefix(s, "{") {
		var raw map[string]string
		if err := json.Unmarshal([]byte(s), &raw); err != nil {
			return nil, panel.Errorf(panel.EINVALID, "columns: not a JSON object of names to headers: %v", err)
		}
		for name, header := range raw {
			if err := addPair(m, name, header); err != nil {
				return nil, err
			}
		}
		return m, nil
	}
	for _, pair := range strings.Split(s, ",") {
		name, header, ok := strings.Cut(pair, ":")
		if !ok {
			return nil, panel.Errorf(panel.EINVALID, "columns: %q is not name:header (e.g. phone:Tlf)", strings.TrimSpace(pair))
		}
		if err := addPair(m, name, header); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// addPair adds name -> header to m, checking both.
func addPair(m panel.ColumnMapping, name, header string) error {
	name, header = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(header)
	switch {
	case !nameRE.MatchString(name):
		return panel.Errorf(panel.EINVALID, "columns: %q is not a column name (lower-case letters, digits and _, starting with a letter)", name)
	case header == "":
		return panel.Errorf(panel.EINVALID, "columns: %s names no header", name)
	}
	if prev, dup := m[name]; dup {
		return panel.Errorf(panel.EINVALID, "columns: %s is given twice (%q and %q)", name, prev, header)
	}
	m[name] = header
	return nil
}

// Resolve names every column of header: columns the mapping names first,
// then the recognised names and aliases, and any other column by its
// header lower-cased and trimmed. It returns the names in header order and
// what each column became. EINVALID when the mapping names a header the
// file does not have, or when two columns would get the same name (the
// message says how to choose with the columns parameter).
func Resolve(header []string, m panel.ColumnMapping) ([]string, []panel.ColumnAssignment, error) {
	names := make([]string, len(header))
	by := make([]string, len(header))
	taken := map[string]int{} // name -> column index
	mapped := make([]string, 0, len(m))
	for name := range m {
		mapped = append(mapped, name)
	}
	sort.Strings(mapped)
	for _, name := range mapped {
		want := Fold(m[name])
		at := -1
		for i, h := range header {
			if Fold(h) == want {
				at = i
				break
			}
		}
		if at < 0 {
			return nil, nil, panel.Errorf(panel.EINVALID, "columns: %s:%s names no column of the file (its header is %s)", name, m[name], quoteAll(header))
		}
		if names[at] != "" {
			return nil, nil, panel.Errorf(panel.EINVALID, "columns: %q is named twice (%s and %s)", header[at], names[at], name)
		}
		names[at], by[at], taken[name] = name, ByMapping, at
	}
	for i, h := range header {
		if names[i] != "" {
			continue
		}
		name, how := strings.ToLower(strings.TrimSpace(h)), ByName
		if std := standard(h); std != "" {
			name = std
		} else if alias, ok := aliases[Fold(h)]; ok {
			name, how = alias, ByAlias
		}
		if j, dup := taken[name]; dup && by[j] == ByMapping {
			// The mapping chose another column for this name: keep this
			// one under its own header.
			name, how = strings.ToLower(strings.TrimSpace(h)), ByName
		}
		if j, dup := taken[name]; dup {
			if how == ByName && by[j] == ByName {
				return nil, nil, panel.Errorf(panel.EINVALID, "columns %d and %d of the header are both %q", j+1, i+1, strings.TrimSpace(h))
			}
			return nil, nil, panel.Errorf(panel.EINVALID, "columns %q and %q would both be read as %s; say which one with ?columns=%s:%s", strings.TrimSpace(header[j]), strings.TrimSpace(h), name, name, strings.TrimSpace(header[j]))
		}
		names[i], by[i], taken[name] = name, how, i
	}
	out := make([]panel.ColumnAssignment, len(header))
	for i, h := range header {
		out[i] = panel.ColumnAssignment{Column: strings.TrimSpace(h), As: names[i], By: by[i]}
	}
	return names, out, nil
}

// Canonical returns the name a header or quota category written h is read
// as when no mapping is given: a standard name ("gender" for "Kjønn",
// "Gender" or "sex"), or h itself for anything else.
func Canonical(h string) string {
	if std := standard(h); std != "" {
		return std
	}
	if alias, ok := aliases[Fold(h)]; ok {
		return alias
	}
	return h
}

// standards are the names columns are read as.
var standards = []string{Phone, Gender, Age, BirthYear, District, Education, Address, Postcode, ID}

// standard returns the standard name a header spells (such as "Birth_Year"
// for birth_year), or "".
func standard(h string) string {
	f := Fold(h)
	for _, s := range standards {
		if f == Fold(s) {
			return s
		}
	}
	return ""
}

func quoteAll(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", strings.TrimSpace(s))
	}
	return strings.Join(out, ", ")
}
