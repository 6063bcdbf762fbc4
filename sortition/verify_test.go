package sortition_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

func TestVerifyAgainstInputs(t *testing.T) {
	t.Parallel()
	quotasCSV := "category,name,min,max\ng,f,1,2\ng,m,1,2\n"
	peopleCSV := "id,g,home\na,f,x\nb,f,y\nc,m,z\nd,m,w\n"
	pool, quotas := parse(t, quotasCSV, peopleCSV, "home")
	rec := prepare(t, pool, quotas, sortition.Params{Seats: 3, Reserves: 1, Panels: 10})
	if err := rec.Draw("inputs"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		quotas     string
		people     string
		households []string
		want       string
	}{
		{name: "same inputs", quotas: quotasCSV, people: peopleCSV, households: []string{"home"}},
		{name: "quota changed", quotas: strings.Replace(quotasCSV, "g,m,1,2", "g,m,0,2", 1), people: peopleCSV, households: []string{"home"}, want: "quotas[1] is g=m 1-2, the file (row 3) has g=m 0-2"},
		{name: "value changed", quotas: quotasCSV, people: strings.Replace(peopleCSV, "d,m", "d,f", 1), households: []string{"home"}, want: `pool[3] ("d") has g "m", the file "f"`},
		{name: "id changed", quotas: quotasCSV, people: strings.Replace(peopleCSV, "b,f", "B,f", 1), households: []string{"home"}, want: `pool[0] has id "a", the file "B"`},
		{name: "person added", quotas: quotasCSV, people: peopleCSV + "e,m,v\n", households: []string{"home"}, want: "4 people, the file 5"},
		{name: "household changed", quotas: quotasCSV, people: strings.Replace(peopleCSV, "b,f,y", "b,f,x", 1), households: []string{"home"}, want: `pool[0] ("a") has household "", the file gives "h1"`},
		{name: "household columns differ", quotas: quotasCSV, people: peopleCSV, want: "household_columns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, q := parse(t, tt.quotas, tt.people, tt.households...)
			rep, err := sortition.Verify(context.Background(), rec, sortition.VerifyOptions{Quotas: q, Pool: p})
			if err != nil {
				t.Fatal(err)
			}
			err = rep.Err()
			if tt.want == "" {
				if err != nil {
					t.Errorf("got %v, want verified", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestVerifyCommittedRecord(t *testing.T) {
	t.Parallel()
	pool, quotas := synthInstance(t, 30, 5, false, 2)
	for _, alg := range algorithms {
		rec := prepare(t, pool, quotas, sortition.Params{Seats: 5, Algorithm: alg, Panels: 50})
		rep, err := sortition.Verify(context.Background(), rec, sortition.VerifyOptions{Resolve: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := rep.Err(); err != nil || !rep.Committed || rep.Kind() != "committed record (before the seed)" {
			t.Errorf("%s: got %v, committed %v, want a verified committed record", alg, err, rep.Committed)
		}
		if hasOptimum := slices.ContainsFunc(rep.Checks, func(c sortition.Check) bool { return c.Name == "optimum" && c.OK }); hasOptimum != (alg != sortition.AlgorithmLegacy) {
			t.Errorf("%s: optimum re-solved before the seed: %v", alg, hasOptimum)
		}
		// Something the seed decides, in a record without a seed, fails.
		rec.Selected = []string{rec.Pool[0].ID}
		rep, _ = sortition.Verify(context.Background(), rec, sortition.VerifyOptions{})
		if err := rep.Err(); err == nil || !strings.Contains(err.Error(), "cannot come before it") {
			t.Errorf("%s: got %v, want the selected people without a seed reported", alg, err)
		}
	}
	if _, err := sortition.Verify(context.Background(), nil, sortition.VerifyOptions{}); err == nil {
		t.Error("nil record: got no error")
	}
}

func TestDrawRefusesSeedNotUTF8(t *testing.T) {
	t.Parallel()
	pool, quotas := synthInstance(t, 30, 5, false, 2)
	rec := prepare(t, pool, quotas, sortition.Params{Seats: 5, Algorithm: sortition.AlgorithmLegacy})
	if err := rec.Draw("terning \xff"); err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
		t.Errorf("got %v, want the seed refused as not UTF-8", err)
	}
}
