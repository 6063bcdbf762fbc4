// Command poolgen writes a generated pool (see package poolgen) as the two
// CSV files panel draw reads:
//
//	go run ./sortition/internal/poolgen/cmd/poolgen -people 1727 -seats 110 -categories 7 -seed 1 -out /tmp/pool
//
// writes /tmp/pool/categories.csv and /tmp/pool/respondents.csv (address
// column "address", for --address-columns address).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/citizenspanel/panel/sortition/internal/poolgen"
)

func main() {
	var cfg poolgen.Config
	flag.IntVar(&cfg.People, "people", 825, "pool size")
	flag.IntVar(&cfg.Seats, "seats", 75, "panel size")
	flag.IntVar(&cfg.Categories, "categories", 4, "number of categories (the first 1..7)")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "generator seed")
	out := flag.String("out", ".", "directory to write categories.csv and respondents.csv to")
	flag.Parse()
	in, err := poolgen.Generate(cfg)
	if err == nil {
		err = os.MkdirAll(*out, 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(*out, "categories.csv"), in.QuotasCSV(), 0o644)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(*out, "respondents.csv"), in.PeopleCSV(), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "poolgen:", err)
		os.Exit(1)
	}
}
