package sortition_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

func TestInfeasibleQuotas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		quotas     string
		people     string
		seats      int
		households []string
		want       string
		relax      string // the suggested relaxation, one seat at a time
	}{
		{name: "too few people with a value", quotas: "category,name,min,max\ngender,male,3,4\ngender,female,0,4\n", people: "id,gender\na,male\nb,male\nc,female\nd,female\n", seats: 4,
			want: "gender=male: min 3 but only 2 in the pool", relax: "gender=male min 3→2 max 4→4"},
		{name: "households reduce availability", quotas: "category,name,min,max\ngender,male,2,2\ngender,female,0,2\n", people: "id,gender,home\na,male,x\nb,male,x\nc,female,y\nd,female,z\n", seats: 2,
			households: []string{"home"}, want: "gender=male: min 2 but only 1 in the pool (2 people, 1 households)", relax: "gender=male min 2→1 max 2→2"},
		{name: "combination", quotas: "category,name,min,max\ngender,f,2,2\ngender,m,0,2\nage,old,1,2\nage,young,0,1\n",
			people: "id,gender,age\na,f,young\nb,f,young\nc,f,young\nd,m,old\ne,m,old\n", seats: 2, want: "the quotas of gender and age cannot be met together", relax: "gender=f min 2→1 max 2→2"},
	}
	for _, tt := range tests {
		for _, alg := range algorithms {
			t.Run(tt.name+"/"+alg, func(t *testing.T) {
				t.Parallel()
				pool, quotas := parse(t, tt.quotas, tt.people, tt.households...)
				_, err := sortition.Prepare(context.Background(), pool, quotas, sortition.Params{Seats: tt.seats, Algorithm: alg})
				var ie *sortition.InfeasibleError
				if !errors.As(err, &ie) {
					t.Fatalf("got %v, want an InfeasibleError", err)
				}
				if !strings.Contains(ie.Error(), tt.want) {
					t.Errorf("got %q, want it to contain %q", ie.Error(), tt.want)
				}
				if want := "smallest relaxation (fewest seats moved) that makes a panel possible: " + tt.relax; ie.WithinFlex || !strings.Contains(ie.Error(), want) {
					t.Errorf("got %q (within flex %v), want it to contain %q", ie.Error(), ie.WithinFlex, want)
				}
			})
		}
	}
}

func TestInfeasibleRelaxation(t *testing.T) {
	t.Parallel()
	quotasCSV := "feature,value,min,max,min_flex,max_flex\ngender,f,2,2,1,2\ngender,m,0,0,0,1\nage,old,1,2,0,2\nage,young,0,1,0,2\n"
	pool, quotas := parse(t, quotasCSV, "id,gender,age\na,f,young\nb,f,young\nc,f,young\nd,m,old\ne,m,old\n")
	_, err := sortition.Prepare(context.Background(), pool, quotas, sortition.Params{Seats: 2, Algorithm: sortition.AlgorithmLegacy})
	var ie *sortition.InfeasibleError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an InfeasibleError", err)
	}
	total := 0
	relaxed := map[string]sortition.Relaxation{}
	for _, r := range ie.Relaxation {
		total += r.OldMin - r.Min + r.Max - r.OldMax
		relaxed[r.Category+"="+r.Value] = r
	}
	if total != 2 {
		t.Fatalf("got relaxation %+v of total %d, want the smallest, 2", ie.Relaxation, total)
	}
	if !strings.Contains(ie.Error(), "smallest relaxation within min_flex/max_flex") {
		t.Errorf("got %q, want the suggestion in the message", ie.Error())
	}
	// The suggestion must work.
	for i, q := range quotas {
		if r, ok := relaxed[q.Category+"="+q.Value]; ok {
			quotas[i].Min, quotas[i].Max = r.Min, r.Max
		}
	}
	rec, err := sortition.Prepare(context.Background(), pool, quotas, sortition.Params{Seats: 2, Algorithm: sortition.AlgorithmLegacy})
	if err != nil {
		t.Fatalf("relaxed quotas %v: %v", fmt.Sprint(ie.Relaxation), err)
	}
	if err := rec.Draw("x"); err != nil {
		t.Fatalf("Draw with relaxed quotas: %v", err)
	}
}
