package sortition_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

func TestParseQuotasHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		csv     string
		want    []sortition.Quota
		hasFlex bool
	}{
		{name: "category,name", csv: "category,name,min,max\ngender,Male,1,2\ngender,Female,1,2\n",
			want: []sortition.Quota{{Category: "gender", Value: "Male", Min: 1, Max: 2}, {Category: "gender", Value: "Female", Min: 1, Max: 2}}},
		{name: "category,feature upper case and extra column", csv: "\ufeffCategory,Feature,MIN,Max,note\nage, 18-29 ,0,3,x\n",
			want: []sortition.Quota{{Category: "age", Value: "18-29", Min: 0, Max: 3}}},
		{name: "feature,value with flex", csv: "feature,value,min,max,min_flex,max_flex\nGender,Female,11,12,0,12\n",
			want: []sortition.Quota{{Category: "Gender", Value: "Female", Min: 11, Max: 12}}, hasFlex: true},
		{name: "category spelling unified", csv: "category,name,min,max\nGender,a,0,1\ngender,b,0,1\n",
			want: []sortition.Quota{{Category: "Gender", Value: "a", Min: 0, Max: 1}, {Category: "Gender", Value: "b", Min: 0, Max: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := sortition.ParseQuotas(strings.NewReader(tt.csv), "q.csv")
			if err != nil {
				t.Fatalf("ParseQuotas: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d quotas, want %d", len(got), len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Category != w.Category || g.Value != w.Value || g.Min != w.Min || g.Max != w.Max {
					t.Errorf("quota %d: got %+v, want %+v", i, g, w)
				}
				if (g.MinFlex != nil) != tt.hasFlex || (g.MaxFlex != nil) != tt.hasFlex {
					t.Errorf("quota %d: got flex %v/%v, want present=%v", i, g.MinFlex, g.MaxFlex, tt.hasFlex)
				}
			}
		})
	}
}

func TestParseQuotasErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		csv    string
		row    int
		column string
		msg    string
	}{
		{name: "unknown header", csv: "a,b,c\n1,2,3\n", row: 1, msg: "header must be"},
		{name: "empty file", csv: "", msg: "empty"},
		{name: "no rows", csv: "category,name,min,max\n", msg: "no quotas"},
		{name: "empty category", csv: "category,name,min,max\n,x,1,2\n", row: 2, column: "category", msg: "category is empty"},
		{name: "empty value", csv: "category,name,min,max\ng,,1,2\n", row: 2, column: "name", msg: "value is empty"},
		{name: "empty min", csv: "category,name,min,max\ng,x,,2\n", row: 2, column: "min", msg: "empty"},
		{name: "non-integer max", csv: "category,name,min,max\ng,x,1,2.5\n", row: 2, column: "max", msg: "not a whole number"},
		{name: "negative min", csv: "category,name,min,max\ng,x,-1,2\n", row: 2, column: "min", msg: "negative"},
		{name: "min above max", csv: "category,name,min,max\ng,a,0,1\ng,x,3,2\n", row: 3, column: "min", msg: "above max"},
		{name: "duplicate value", csv: "category,name,min,max\ng,x,1,2\nG,X,1,2\n", row: 3, column: "name", msg: "listed twice"},
		{name: "min_flex above min", csv: "feature,value,min,max,min_flex,max_flex\ng,x,1,2,2,2\n", row: 2, column: "min_flex", msg: "above min"},
		{name: "max_flex below max", csv: "feature,value,min,max,min_flex,max_flex\ng,x,1,2,0,1\n", row: 2, column: "max_flex", msg: "below max"},
		{name: "one flex column only", csv: "feature,value,min,max,min_flex\ng,x,1,2,0\n", row: 1, column: "max_flex", msg: "together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := sortition.ParseQuotas(strings.NewReader(tt.csv), "q.csv")
			ie := firstInputError(t, err)
			if ie.File != "q.csv" || ie.Row != tt.row || ie.Column != tt.column || !strings.Contains(ie.Message, tt.msg) {
				t.Errorf("got %q (row %d, column %q), want row %d, column %q, message containing %q", ie.Error(), ie.Row, ie.Column, tt.row, tt.column, tt.msg)
			}
		})
	}
}

func TestParseQuotasCollectsAllRowErrors(t *testing.T) {
	t.Parallel()
	_, err := sortition.ParseQuotas(strings.NewReader("category,name,min,max\ng,a,x,1\ng,b,1,y\ng,c,1,1\ng,d,-2,1\n"), "q.csv")
	var errs sortition.InputErrors
	if !errors.As(err, &errs) {
		t.Fatalf("got %v, want InputErrors", err)
	}
	if got, want := len(errs), 3; got != want {
		t.Fatalf("got %d errors, want %d: %v", got, want, err)
	}
	for i, row := range []int{2, 3, 5} {
		if errs[i].Row != row {
			t.Errorf("error %d: got row %d, want %d", i, errs[i].Row, row)
		}
	}
}

func TestCheckQuotas(t *testing.T) {
	t.Parallel()
	quotas := []sortition.Quota{
		{Category: "g", Value: "a", Min: 3, Max: 5}, {Category: "g", Value: "b", Min: 3, Max: 5},
		{Category: "h", Value: "x", Min: 0, Max: 3}, {Category: "h", Value: "y", Min: 0, Max: 3},
	}
	tests := []struct {
		name   string
		seats  int
		column string
		msg    string
	}{
		{name: "fits", seats: 6},
		{name: "minimums above seats", seats: 5, column: "g", msg: "minimums add up to 6"},
		{name: "maximums below seats", seats: 7, column: "h", msg: "maximums add up to 6"},
		{name: "no seats", seats: 0, msg: "must be positive"},
	}
	dup := append(slices.Clone(quotas), sortition.Quota{Category: "g", Value: "a", Min: 0, Max: 1, Row: 9})
	if err := sortition.CheckQuotas(dup, 6, "q.csv"); err == nil || !strings.Contains(err.Error(), `q.csv: row 9, column "g": g=a is listed twice`) {
		t.Errorf("duplicate: got %v, want it named", err)
	}
	bad := slices.Clone(quotas)
	bad[0].Min = 6
	if err := sortition.CheckQuotas(bad, 6, "q.csv"); err == nil || !strings.Contains(err.Error(), "min 6 and max 5 are not a range") {
		t.Errorf("min above max: got %v, want it named", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := sortition.CheckQuotas(quotas, tt.seats, "q.csv")
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			ie := firstInputError(t, err)
			if ie.Column != tt.column || !strings.Contains(ie.Message, tt.msg) {
				t.Errorf("got %q (column %q), want column %q and %q", ie.Message, ie.Column, tt.column, tt.msg)
			}
		})
	}
}

// firstInputError returns the first *InputError in err, failing if there is none.
func firstInputError(t *testing.T, err error) *sortition.InputError {
	t.Helper()
	var errs sortition.InputErrors
	if errors.As(err, &errs) && len(errs) > 0 {
		return errs[0]
	}
	var ie *sortition.InputError
	if errors.As(err, &ie) {
		return ie
	}
	t.Fatalf("got error %v, want an InputError", err)
	return nil
}
