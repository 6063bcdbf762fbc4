package sortition_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

// testQuotas are two categories used by the parsing tests.
func testQuotas(t *testing.T) []sortition.Quota {
	t.Helper()
	q, err := sortition.ParseQuotas(strings.NewReader("category,name,min,max\nGender,Female,1,2\nGender,Male,1,2\nAge,Young,0,3\nAge,Old,0,3\n"), "q.csv")
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestParsePeople(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		csv     string
		opts    sortition.PeopleOptions
		ids     []string
		notice  bool
		houses  []string
		female0 string
	}{
		{name: "id column", csv: "id,gender,age\na,female,young\nb,MALE ,Old\n", ids: []string{"a", "b"}},
		{name: "nationbuilder_id", csv: "nationbuilder_id,Gender,AGE\nn1,Female,Young\nn2,Male,Old\n", ids: []string{"n1", "n2"}},
		{name: "no id column uses row numbers", csv: "gender,age\nfemale,young\nmale,old\nmale,old\n", ids: []string{"1", "2", "3"}, notice: true},
		{name: "id column option", csv: "ref,id,gender,age\nr1,x,female,young\nr2,x,male,old\n", opts: sortition.PeopleOptions{IDColumn: "REF"}, ids: []string{"r1", "r2"}},
		{name: "households", csv: "id,gender,age,street,zip\na,female,young,Main St 1,7000\nb,male,old, main st 1 ,7000\nc,male,old,Main St 1,7001\nd,female,old,,\n",
			opts: sortition.PeopleOptions{HouseholdColumns: []string{"street", "zip"}}, ids: []string{"a", "b", "c", "d"}, houses: []string{"h1", "h1", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tt.opts
			opts.Quotas = testQuotas(t)
			pool, err := sortition.ParsePeople(strings.NewReader(tt.csv), "r.csv", opts)
			if err != nil {
				t.Fatalf("ParsePeople: %v", err)
			}
			var ids []string
			for _, p := range pool.People {
				ids = append(ids, p.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.ids) {
				t.Errorf("got ids %v, want %v", ids, tt.ids)
			}
			if got := len(pool.Notices) > 0; got != tt.notice {
				t.Errorf("got notices %q, want notice=%v", pool.Notices, tt.notice)
			}
			if got, want := pool.People[0].Values["Gender"], "Female"; got != want {
				t.Errorf("got first gender %q, want canonical %q", got, want)
			}
			if got, want := pool.People[1].Values["Gender"], "Male"; got != want {
				t.Errorf("got second gender %q, want canonical %q", got, want)
			}
			if tt.houses != nil {
				for i, h := range tt.houses {
					if pool.People[i].Household != h {
						t.Errorf("person %d: got household %q, want %q", i, pool.People[i].Household, h)
					}
				}
			}
		})
	}
}

func TestParsePeopleErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		csv    string
		opts   sortition.PeopleOptions
		row    int
		column string
		msg    string
	}{
		{name: "unknown value", csv: "id,gender,age\na,female,young\nb,other,old\n", row: 3, column: "gender", msg: `"other" is not in the quotas`},
		{name: "empty cell", csv: "id,gender,age\na,female,\n", row: 2, column: "age", msg: "empty"},
		{name: "short row", csv: "id,gender,age\na,female\n", row: 2, column: "age", msg: "empty"},
		{name: "duplicate id", csv: "id,gender,age\na,female,young\na,male,old\n", row: 3, column: "id", msg: "used twice (first on row 2)"},
		{name: "empty id", csv: "id,gender,age\n,female,young\n", row: 2, column: "id", msg: "id is empty"},
		{name: "missing category column", csv: "id,gender\na,female\n", row: 1, column: "Age", msg: "no column"},
		{name: "missing id column option", csv: "id,gender,age\na,female,young\n", opts: sortition.PeopleOptions{IDColumn: "ref"}, row: 1, column: "ref", msg: "not in the header"},
		{name: "missing address column", csv: "id,gender,age\na,female,young\n", opts: sortition.PeopleOptions{HouseholdColumns: []string{"street"}}, row: 1, column: "street", msg: "not in the header"},
		{name: "no rows", csv: "id,gender,age\n", msg: "no people"},
		{name: "bad csv", csv: "id,gender,age\n\"a,female,young\n", row: 2, msg: "not valid CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tt.opts
			opts.Quotas = testQuotas(t)
			_, err := sortition.ParsePeople(strings.NewReader(tt.csv), "r.csv", opts)
			ie := firstInputError(t, err)
			if ie.File != "r.csv" || ie.Row != tt.row || ie.Column != tt.column || !strings.Contains(ie.Message, tt.msg) {
				t.Errorf("got %q (row %d, column %q), want row %d, column %q, message containing %q", ie.Error(), ie.Row, ie.Column, tt.row, tt.column, tt.msg)
			}
		})
	}
}

func TestParsePeopleCapsErrors(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("id,gender,age\n")
	for i := range 200 {
		fmt.Fprintf(&b, "p%d,nobody,young\n", i)
	}
	_, err := sortition.ParsePeople(strings.NewReader(b.String()), "r.csv", sortition.PeopleOptions{Quotas: testQuotas(t)})
	var errs sortition.InputErrors
	if !errors.As(err, &errs) {
		t.Fatalf("got %v, want InputErrors", err)
	}
	if got, want := len(errs), sortition.MaxReportedErrors; got != want {
		t.Errorf("got %d errors, want the cap %d", got, want)
	}
	if got, want := errs[1].Row, 3; got != want {
		t.Errorf("got second error on row %d, want %d", got, want)
	}
}

func TestCheckPool(t *testing.T) {
	t.Parallel()
	quotas := testQuotas(t)
	pool, err := sortition.ParsePeople(strings.NewReader("id,gender,age\na,female,young\nb,male,old\n"), "r.csv", sortition.PeopleOptions{Quotas: quotas})
	if err != nil {
		t.Fatal(err)
	}
	if err := sortition.CheckPool(pool, quotas, 2); err != nil {
		t.Errorf("2 seats: got %v, want nil", err)
	}
	if err := sortition.CheckPool(pool, quotas, 3); err == nil || !strings.Contains(err.Error(), "fewer than the 3 seats") {
		t.Errorf("3 seats: got %v, want fewer people than seats", err)
	}
	pool.People[1].Values["Age"] = "Ancient"
	if err := sortition.CheckPool(pool, quotas, 2); err == nil || !strings.Contains(err.Error(), `"Ancient" is not in the quotas`) {
		t.Errorf("unknown value: got %v, want it named", err)
	}
}
