// Command benchreport turns the output of `go test -bench` into
// BENCHMARKS.md: the machine and date, each target the issues set with the
// figure measured and whether it is met, and every benchmark's figures.
//
// Usage (this is what `make bench` runs):
//
//	go test -run '^$' -bench . -benchmem ./... | tee bench.txt
//	go run ./internal/benchreport -in bench.txt -out BENCHMARKS.md
//
// It exits non-zero when the input holds a failed benchmark or a target is
// not met, so `make bench` fails loudly; the report is written either way.
package main
