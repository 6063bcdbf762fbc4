package leximin_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/sortition/internal/leximin"
)

// dataDir holds the test instances (see sortition/testdata/SOURCES.md).
const dataDir = "../../testdata"

// dataset is a public instance read by the test-only loader.
type dataset struct {
	inst    *leximin.Instance
	persons int
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return recs
}

// loadInstance builds an Instance from a quota file and a respondents file.
// addr names the columns whose joint value identifies a household (none: no
// households). Household members become types of count one.
func loadInstance(t testing.TB, catPath, peoplePath string, seats int, addr []string) dataset {
	t.Helper()
	cats := readCSV(t, filepath.Join(dataDir, catPath))
	hdr := lower(cats[0])
	ci, vi := slices.Index(hdr, "category"), slices.Index(hdr, "feature")
	if ci < 0 {
		ci, vi = slices.Index(hdr, "feature"), slices.Index(hdr, "value")
	}
	if vi < 0 {
		vi = slices.Index(hdr, "name")
	}
	mi, xi := slices.Index(hdr, "min"), slices.Index(hdr, "max")
	in := &leximin.Instance{Seats: seats}
	var catNames []string
	feat := map[string]int{} // "category\x00value" -> feature index
	for _, rec := range cats[1:] {
		c := rec[ci]
		lo, err1 := strconv.Atoi(strings.TrimSpace(rec[mi]))
		hi, err2 := strconv.Atoi(strings.TrimSpace(rec[xi]))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: bad quota row %v", catPath, rec)
		}
		if !slices.Contains(catNames, c) {
			catNames = append(catNames, c)
		}
		feat[c+"\x00"+rec[vi]] = len(in.Min)
		in.Min = append(in.Min, lo)
		in.Max = append(in.Max, hi)
	}
	people := readCSV(t, filepath.Join(dataDir, peoplePath))
	ph := lower(people[0])
	col := make([]int, len(catNames))
	for k, c := range catNames {
		col[k] = slices.Index(ph, strings.ToLower(c))
		if col[k] < 0 {
			t.Fatalf("%s: no column for category %q", peoplePath, c)
		}
	}
	var acol []int
	for _, a := range addr {
		acol = append(acol, slices.Index(ph, a))
	}
	keys := make([]string, 0, len(people)-1)
	feats := make([][]int, 0, len(people)-1)
	house := map[string]int{}
	var houseKey []string
	for r, rec := range people[1:] {
		fs := make([]int, len(catNames))
		for k, c := range catNames {
			f, ok := feat[c+"\x00"+rec[col[k]]]
			if !ok {
				t.Fatalf("%s row %d: value %q of %q has no quota", peoplePath, r+2, rec[col[k]], c)
			}
			fs[k] = f
		}
		feats = append(feats, fs)
		hk := ""
		for _, a := range acol {
			hk += rec[a] + "\x00"
		}
		houseKey = append(houseKey, hk)
		if len(acol) > 0 {
			house[hk]++
		}
		keys = append(keys, fmt.Sprint(fs))
	}
	typeOf := map[string]int{}
	groupOf := map[string]int{}
	for p, fs := range feats {
		if len(acol) > 0 && house[houseKey[p]] > 1 {
			g, ok := groupOf[houseKey[p]]
			if !ok {
				g = len(in.Groups)
				groupOf[houseKey[p]] = g
				in.Groups = append(in.Groups, nil)
			}
			in.Groups[g] = append(in.Groups[g], len(in.Types))
			in.Types = append(in.Types, leximin.Type{Features: fs, Count: 1})
			continue
		}
		tt, ok := typeOf[keys[p]]
		if !ok {
			tt = len(in.Types)
			typeOf[keys[p]] = tt
			in.Types = append(in.Types, leximin.Type{Features: fs})
		}
		in.Types[tt].Count++
	}
	return dataset{inst: in, persons: len(feats)}
}

func lower(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strings.ToLower(strings.TrimSpace(v))
	}
	return out
}

// personProbs expands per-type probabilities to a sorted per-person list.
func personProbs(in *leximin.Instance, prob []float64) []float64 {
	var out []float64
	for t, ty := range in.Types {
		for range ty.Count {
			out = append(out, prob[t])
		}
	}
	slices.Sort(out)
	return out
}
