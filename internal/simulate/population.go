package simulate

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
)

// Share is a category value and its share of the adult population.
type Share struct {
	Value string
	Share float64
}

// Shares of Trondheim's adult population per category. Sources: population
// 212,660 on 1 Jan 2023 (SSB via Trondheimsregionen); districts are an
// estimate (each planned at about 40,000 in 2005, Heimdal grown with Klæbu
// in 2020); gender 50/50 is an estimate; age bands are estimated from
// Trondheim kommune's 2018 shares (18-34 28.5%, 35-66 38.8%, 67+ 12.3% of all
// ages); education from SSB's kommuneprofil (higher education 46.2% in 2021,
// split short/long by county shares; compulsory school only about 20%).
var (
	Districts = []Share{{"Midtbyen", 0.24}, {"Østbyen", 0.25}, {"Lerkendal", 0.25}, {"Heimdal", 0.26}}
	Genders   = []Share{{"kvinne", 0.50}, {"mann", 0.50}}
	AgeBands  = []Share{{"18-29", 0.24}, {"30-44", 0.27}, {"45-59", 0.23}, {"60-74", 0.17}, {"75+", 0.09}}
	// Education values are those of the default SMS dialogue.
	Educations = []Share{{"grunnskole", 0.20}, {"videregående", 0.34}, {"kort høyere", 0.29}, {"lang høyere", 0.17}}
)

// ageRange is the ages of an age band; 75+ is taken as 75-94.
var ageRange = map[string][2]int{
	"18-29": {18, 29}, "30-44": {30, 44}, "45-59": {45, 59}, "60-74": {60, 74}, "75+": {75, 94},
}

// Categories are the quota categories of the round, in report order.
var Categories = []struct {
	Name   string
	Shares []Share
}{
	{"gender", Genders},
	{"age", AgeBands},
	{"district", Districts},
	{"education", Educations},
}

// Person is one invited resident: what the register knows (phone, gender,
// age, district), what only they know (education), and how they will
// answer the invitation.
type Person struct {
	Row       int // 1-based row in the imported CSV
	Phone     string
	Gender    string
	Age       int
	AgeBand   string
	District  string
	Education string
	Behaviour Behaviour

	unreachable bool // the round makes their number fail at the fake Twilio
	texts       int  // SMS sent so far; numbers each SMS's MessageSid
}

// Values returns the person's category values.
func (p Person) Values() map[string]string {
	return map[string]string{"gender": p.Gender, "age": p.AgeBand, "district": p.District, "education": p.Education}
}

// newRand returns a ChaCha8 source keyed by SHA-256 of the seed and a
// purpose, so each use of the seed has its own stream.
func newRand(seed, purpose string) *rand.Rand {
	return rand.New(rand.NewChaCha8(sha256.Sum256([]byte("panel simulate/" + purpose + "/" + seed))))
}

// Population draws n residents from the shares, each with a distinct
// Norwegian mobile number, and decides how each will answer. It depends on
// seed only.
func Population(n int, seed string) []Person {
	rng := newRand(seed, "population")
	people := make([]Person, n)
	for i := range people {
		p := Person{
			Row:       i + 1,
			Phone:     fmt.Sprintf("+47%d", 40000000+i*7+3), // 4xxxxxxx: mobile numbers
			Gender:    pick(rng, Genders),
			AgeBand:   pick(rng, AgeBands),
			District:  pick(rng, Districts),
			Education: pick(rng, Educations),
		}
		r := ageRange[p.AgeBand]
		p.Age = r[0] + rng.IntN(r[1]-r[0]+1)
		people[i] = p
	}
	behave := newRand(seed, "behaviour")
	for i := range people {
		people[i].Behaviour = drawBehaviour(behave, people[i])
	}
	return people
}

// pick returns a value with probability its share.
func pick(rng *rand.Rand, shares []Share) string {
	u := rng.Float64()
	for _, s := range shares {
		if u < s.Share {
			return s.Value
		}
		u -= s.Share
	}
	return shares[len(shares)-1].Value
}
