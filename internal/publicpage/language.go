package publicpage

import (
	"sort"
	"strconv"
	"strings"
)

// Language picks the page's language from an Accept-Language header:
// "en" when the browser prefers English to Norwegian, else "nb" (bokmål,
// the default; nb, no and nn count as Norwegian).
func Language(acceptLanguage string) string {
	type pref struct {
		lang string
		q    float64
		pos  int
	}
	var prefs []pref
	for i, part := range strings.Split(acceptLanguage, ",") {
		fields := strings.Split(strings.TrimSpace(part), ";")
		tag := strings.ToLower(strings.TrimSpace(fields[0]))
		q := 1.0
		for _, f := range fields[1:] {
			if v, ok := strings.CutPrefix(strings.TrimSpace(f), "q="); ok {
				if x, err := strconv.ParseFloat(v, 64); err == nil {
					q = x
				}
			}
		}
		primary, _, _ := strings.Cut(tag, "-")
		switch primary {
		case "nb", "no", "nn":
			prefs = append(prefs, pref{"nb", q, i})
		case "en":
			prefs = append(prefs, pref{"en", q, i})
		}
	}
	sort.SliceStable(prefs, func(i, j int) bool { return prefs[i].q > prefs[j].q })
	if len(prefs) > 0 && prefs[0].q > 0 {
		return prefs[0].lang
	}
	return "nb"
}

// catalogue holds every string of the page per language.
var catalogue = map[string]map[string]string{
	"nb": {
		"title":           "Trekning",
		"intro":           "Denne siden viser trekningen av panelet slik den ble publisert, og kontrollerer den i nettleseren din.",
		"state":           "Status",
		"state_committed": "forpliktet: lotteriet er låst, frøet er ikke kjent ennå",
		"state_seeded":    "trukket: frøet er kjent og panelet valgt",
		"created":         "Opprettet",
		"committed":       "Forpliktet",
		"seeded":          "Frø avslørt",
		"verification":    "Kontroll i nettleseren",
		"verifying":       "kontrollerer …",
		"not_drawn":       "Ikke trukket ennå: når frøet er avslørt, kan hele protokollen kontrolleres her.",
		"verify_failed":   "kontrollen kunne ikke kjøres",
		"commitment":      "Forpliktelse",
		"commitment_help": "SHA-256 av utvalget, kvotene og lotteriet, publisert før frøet var kjent.",
		"parameters":      "Parametre",
		"algorithm":       "Algoritme",
		"seats":           "Plasser",
		"reserves_count":  "Reserver",
		"pool_size":       "Personer i utvalget",
		"panels":          "Paneler i lotteriet",
		"households":      "Husstandsregel (adressekolonner)",
		"none":            "ingen",
		"quotas":          "Kvoter",
		"category":        "Kategori",
		"value":           "Verdi",
		"min":             "Min",
		"max":             "Maks",
		"seed":            "Frø",
		"lottery_index":   "Lotterinummer",
		"panel":           "Panelet",
		"reserves":        "Reserver, i rekkefølge",
		"pseudonyms":      "Alle vises med pseudonym.",
		"probabilities":   "Hver persons sannsynlighet for å bli trukket",
		"chart_desc":      "Søyle per person, høyeste først; mørke søyler er panelmedlemmer og reserver; linjen er det optimale minimum.",
		"min_probability": "Laveste sannsynlighet",
		"optimal_min":     "Optimalt minimum før avrunding",
		"max_deviation":   "Største avvik fra optimum",
		"table":           "Tabell over sannsynlighetene",
		"person":          "Pseudonym",
		"probability":     "Sannsynlighet",
		"role":            "Rolle",
		"role_selected":   "i panelet",
		"role_reserve":    "reserve",
		"how":             "Slik kontrollerer du selv, i tre steg",
		"how1":            "Last ned protokollen (record.json) og kvotene (quotas.csv) under.",
		"how2":            "Installer kommandoen panel (Go 1.26: go install github.com/citizenspanel/panel/cmd/panel@latest).",
		"how3":            "Kjør panel verify record.json --categories quotas.csv: den regner ut alt på nytt, også det optimale lotteriet, og skriver «verified» eller hva som avviker.",
		"downloads":       "Nedlastinger",
		"dl_record":       "Protokollen (JSON)",
		"dl_quotas":       "Kvotene (CSV)",
		"software":        "Programvare",
	},
	"en": {
		"title":           "Draw",
		"intro":           "This page shows the draw of the panel as published, and verifies it in your browser.",
		"state":           "State",
		"state_committed": "committed: the lottery is fixed, the seed is not known yet",
		"state_seeded":    "drawn: the seed is known and the panel chosen",
		"created":         "Created",
		"committed":       "Committed",
		"seeded":          "Seed revealed",
		"verification":    "Verification in the browser",
		"verifying":       "verifying …",
		"not_drawn":       "Not drawn yet: once the seed is revealed the whole record can be verified here.",
		"verify_failed":   "the verification could not run",
		"commitment":      "Commitment",
		"commitment_help": "SHA-256 of the pool, the quotas and the lottery, published before the seed was known.",
		"parameters":      "Parameters",
		"algorithm":       "Algorithm",
		"seats":           "Seats",
		"reserves_count":  "Reserves",
		"pool_size":       "People in the pool",
		"panels":          "Panels in the lottery",
		"households":      "Household rule (address columns)",
		"none":            "none",
		"quotas":          "Quotas",
		"category":        "Category",
		"value":           "Value",
		"min":             "Min",
		"max":             "Max",
		"seed":            "Seed",
		"lottery_index":   "Lottery index",
		"panel":           "The panel",
		"reserves":        "Reserves, in order",
		"pseudonyms":      "Everyone is shown by pseudonym.",
		"probabilities":   "Each person's probability of being drawn",
		"chart_desc":      "One bar per person, highest first; dark bars are panel members and reserves; the line is the optimal minimum.",
		"min_probability": "Lowest probability",
		"optimal_min":     "Optimal minimum before rounding",
		"max_deviation":   "Largest deviation from the optimum",
		"table":           "Table of the probabilities",
		"person":          "Pseudonym",
		"probability":     "Probability",
		"role":            "Role",
		"role_selected":   "on the panel",
		"role_reserve":    "reserve",
		"how":             "How to verify it yourself, in three steps",
		"how1":            "Download the record (record.json) and the quotas (quotas.csv) below.",
		"how2":            "Install the panel command (Go 1.26: go install github.com/citizenspanel/panel/cmd/panel@latest).",
		"how3":            "Run panel verify record.json --categories quotas.csv: it recomputes everything, the optimal lottery included, and prints “verified” or what differs.",
		"downloads":       "Downloads",
		"dl_record":       "The record (JSON)",
		"dl_quotas":       "The quotas (CSV)",
		"software":        "Software",
	},
}
