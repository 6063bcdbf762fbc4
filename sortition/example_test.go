package sortition_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/citizenspanel/panel/sortition"
)

// A small draw from start to finish: parse, prepare (publish the commitment),
// draw with the public seed, verify.
func Example() {
	quotas, err := sortition.ParseQuotas(strings.NewReader(
		"category,name,min,max\ngender,female,2,2\ngender,male,2,2\n"), "categories.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	pool, err := sortition.ParsePeople(strings.NewReader(
		"id,gender\np1,Female\np2,female\np3,female\np4,male\np5,male\np6,male\n"), "respondents.csv",
		sortition.PeopleOptions{Quotas: quotas})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	rec, err := sortition.Prepare(ctx, pool, quotas, sortition.Params{Seats: 4, Reserves: 1, Algorithm: sortition.AlgorithmLegacy})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.HasPrefix(rec.Commitment, "sha256:"))
	if err := rec.Draw("4-1-6-6-2"); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(rec.Selected), len(rec.Reserves))
	rep, err := sortition.Verify(ctx, rec, sortition.VerifyOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Verified())
	// Output:
	// true
	// 4 1
	// true
}
