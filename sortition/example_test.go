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

// The worked example of the package documentation: the seed's lottery
// stream, the index it picks from 1000 panels, and the members stream that
// deals a type's seats.
func ExampleLotteryIndex() {
	seed := "3-5-1-6-2-2-4-5 read at the council meeting"
	key := sortition.StreamKey(sortition.PurposeLottery, seed)
	fmt.Printf("key    = %x\n", key)
	s := sortition.NewStream(sortition.PurposeLottery, seed)
	fmt.Println("x1..x3 =", s.Uint64(), s.Uint64(), s.Uint64())
	fmt.Println("index  =", sortition.LotteryIndex(seed, 1000))
	fmt.Println("empty seed:", sortition.LotteryIndex("", 1000), `"panel":`, sortition.LotteryIndex("panel", 1000))

	members := sortition.NewStream(sortition.PurposeMembers, seed)
	a := []string{"a", "b", "c", "d", "e"}
	for j := range 2 {
		r := j + members.Uniform(len(a)-j)
		a[j], a[r] = a[r], a[j]
	}
	fmt.Println("seats to", a[:2])
	// Output:
	// key    = d61f8f5584b1acd55617a9aabbbac407dc9ce1a6127d076ae4cd8e6a4439abcc
	// x1..x3 = 15562511185623694620 11042712977035216717 9302316125746283911
	// index  = 620
	// empty seed: 461 "panel": 124
	// seats to [d e]
}
