package leximin_test

import (
	"context"
	"fmt"

	"github.com/citizenspanel/panel/sortition/internal/leximin"
)

// Two seats, at least one woman: four women (feature 0) and one man (feature 1).
func ExampleLeximin() {
	in := &leximin.Instance{
		Seats: 2,
		Min:   []int{1, 0},
		Max:   []int{2, 1},
		Types: []leximin.Type{{Features: []int{0}, Count: 4}, {Features: []int{1}, Count: 1}},
	}
	l, err := leximin.Leximin(context.Background(), in)
	if err != nil {
		panic(err)
	}
	fmt.Printf("woman %.2f, man %.2f\n", l.Prob[0], l.Prob[1])
	panels, dev, err := leximin.Round(l, in, 10)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d panels, max deviation %.2f\n", len(panels), dev)
	// Output:
	// woman 0.40, man 0.40
	// 10 panels, max deviation 0.00
}
