package sortition_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

func TestReplaceKeepsQuotas(t *testing.T) {
	t.Parallel()
	pool, quotas := synthInstance(t, 80, 12, true, 21)
	rec := prepare(t, pool, quotas, sortition.Params{Seats: 12, Reserves: 15, Algorithm: sortition.AlgorithmLegacy})
	if err := rec.Draw("replace"); err != nil {
		t.Fatal(err)
	}
	if got := len(rec.Reserves); got != 15 {
		t.Fatalf("got %d reserves, want 15", got)
	}
	for _, r := range rec.Reserves {
		if slices.Contains(rec.Selected, r) {
			t.Fatalf("reserve %q is on the panel", r)
		}
	}
	for i, member := range slices.Clone(rec.Selected[:4]) {
		before := rec.Current()
		got, kept, err := sortition.Replace(rec, member, nil)
		if err != nil {
			t.Fatalf("Replace(%s): %v", member, err)
		}
		// The first unused reserve whose swap keeps the quotas, by brute force.
		want := ""
		for _, r := range rec.Reserves {
			if slices.Contains(before, r) || used(rec.History[:i], r) {
				continue
			}
			trial := slices.Clone(before)
			trial[slices.Index(trial, member)] = r
			if panelProblem(pool, quotas, 12, trial) == "" {
				want = r
				break
			}
		}
		if want != "" && (got != want || !kept) {
			t.Errorf("replace %s: got %q kept=%v, want %q kept=true", member, got, kept, want)
		}
		if kept {
			if p := panelProblem(pool, quotas, 12, rec.Current()); p != "" {
				t.Errorf("after replacing %s: %s", member, p)
			}
		}
	}
	mustVerify(t, rec)
}

// used reports whether r already replaced someone.
func used(h []sortition.Replacement, r string) bool {
	return slices.ContainsFunc(h, func(x sortition.Replacement) bool { return x.Replacement == r })
}

func TestReplaceWithoutKeepingQuotas(t *testing.T) {
	t.Parallel()
	// Both women must sit; the reserves are all men.
	pool, quotas := parse(t, "category,name,min,max\ng,f,2,2\ng,m,2,4\n", "id,g\nf1,f\nf2,f\nm1,m\nm2,m\nm3,m\nm4,m\n")
	rec := prepare(t, pool, quotas, sortition.Params{Seats: 4, Reserves: 2, Algorithm: sortition.AlgorithmLegacy})
	if err := rec.Draw("x"); err != nil {
		t.Fatal(err)
	}
	got, kept, err := sortition.Replace(rec, "f1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != rec.Reserves[0] || kept {
		t.Errorf("got %q kept=%v, want the first reserve %q kept=false", got, kept, rec.Reserves[0])
	}
	got, _, err = sortition.Replace(rec, "f2", []string{rec.Reserves[1]})
	if err == nil || !strings.Contains(err.Error(), "no reserve is left") {
		t.Errorf("got %q, %v, want no reserve left", got, err)
	}
	tests := []struct {
		name, member string
		unavailable  []string
		want         string
	}{
		{name: "not on the panel", member: "nobody", want: "not on the current panel"},
		{name: "replaced member", member: "f1", want: "not on the current panel"},
		{name: "unavailable not a reserve", member: "f2", unavailable: []string{"f1"}, want: "not an unused reserve"},
	}
	for _, tt := range tests {
		if _, _, err := sortition.Replace(rec, tt.member, tt.unavailable); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
	mustVerify(t, rec)
	rec.History[0].QuotasKept = true
	rep, _ := sortition.Verify(context.Background(), rec, sortition.VerifyOptions{})
	if err := rep.Err(); err == nil || !strings.Contains(err.Error(), "history[0]") {
		t.Errorf("edited history: got %v, want history[0] named", err)
	}
}

// TestReplacePublishesOnlyHowManyWerePassedOver: reserves who could not be
// asked are passed over, the history says how many but not who, and the
// record still verifies; a changed count fails.
func TestReplacePublishesOnlyHowManyWerePassedOver(t *testing.T) {
	t.Parallel()
	pool, quotas := synthInstance(t, 80, 12, false, 21)
	rec := prepare(t, pool, quotas, sortition.Params{Seats: 12, Reserves: 15, Algorithm: sortition.AlgorithmLegacy})
	if err := rec.Draw("passed over"); err != nil {
		t.Fatal(err)
	}
	member := rec.Selected[0]
	first, _, err := sortition.Replace(cloneRecord(t, rec), member, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, kept, err := sortition.Replace(rec, member, []string{first})
	if err != nil || got == first || !kept {
		t.Fatalf("with %q unavailable: got %q kept=%v, %v", first, got, kept, err)
	}
	if h := rec.History[0]; h.PassedOver != 1 {
		t.Errorf("got passed_over %d, want 1", h.PassedOver)
	}
	var b strings.Builder
	if err := sortition.WriteRecord(&b, rec); err != nil {
		t.Fatal(err)
	}
	history := b.String()[strings.Index(b.String(), `"history"`):]
	if strings.Contains(history, `"`+first+`"`) {
		t.Errorf("the history names the reserve who could not be asked: %s", history)
	}
	mustVerify(t, rec)
	rec.History[0].PassedOver = 0
	rep, _ := sortition.Verify(context.Background(), rec, sortition.VerifyOptions{})
	if err := rep.Err(); err == nil || !strings.Contains(err.Error(), "passed_over 0") {
		t.Errorf("changed passed_over: got %v", err)
	}
}
