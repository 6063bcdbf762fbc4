package main

// Target is a figure an issue asks for. It is checked against every
// benchmark whose name (package path suffix and benchmark name) matches.
type Target struct {
	Issue   string  // which issue set it, e.g. "draw (#3)"
	What    string  // the target in words
	Package string  // package import path suffix, e.g. "sortition"
	Bench   string  // benchmark name as printed, without the -N suffix
	Metric  string  // unit, e.g. "ns/op" or "msgs/s"
	Max     float64 // met when the value is at most Max (0: no upper bound)
	Min     float64 // met when the value is at least Min (0: no lower bound)
	Scale   float64 // the value is divided by Scale for display (e.g. 1e9 for seconds)
	Unit    string  // display unit after scaling
	// Independent, when set, is an independent solver's figure for the
	// same problem, with its source, shown next to the measured one.
	Independent string
}

// sec is one second in nanoseconds.
const sec = 1e9

// targets are the speed and throughput targets of the issues. Benchmarks
// without a target are still listed in the report.
var targets = []Target{
	{Issue: "draw (#3)", What: "example_small_20 (n=200, k=20), whole process, under 0.5 s", Package: "sortition", Bench: "BenchmarkWholeProcess/example_small_20", Metric: "ns/op", Max: 0.5 * sec, Scale: sec, Unit: "s"},
	{Issue: "draw (#3)", What: "example_large_200 (n=2000, k=200), whole process, under 0.5 s", Package: "sortition", Bench: "BenchmarkWholeProcess/example_large_200", Metric: "ns/op", Max: 0.5 * sec, Scale: sec, Unit: "s"},
	{Issue: "draw (#3)", What: "sortition-algorithms fixture (150 people, 22 seats) under 2 s", Package: "sortition", Bench: "BenchmarkWholeProcess/fixture_150", Metric: "ns/op", Max: 2 * sec, Scale: sec, Unit: "s"},
	{Issue: "draw (#3)", What: "the same fixture with the address check, under 2 s", Package: "sortition", Bench: "BenchmarkWholeProcess/fixture_150_households", Metric: "ns/op", Max: 2 * sec, Scale: sec, Unit: "s"},
	{Issue: "draw (#3)", What: "newDemocracy example (300 people, 20 seats) under 2 s", Package: "sortition", Bench: "BenchmarkWholeProcess/newdemocracy_20", Metric: "ns/op", Max: 2 * sec, Scale: sec, Unit: "s"},
	{Issue: "draw (#3)", What: "reference-round pool 370/50, leximin under 2 s", Package: "sortition", Bench: "BenchmarkWholeProcess/synthetic_370_50_households=false", Metric: "ns/op", Max: 2 * sec, Scale: sec, Unit: "s"},
	{Issue: "draw (#3)", What: "reference-round pool 370/50 with households, leximin under 2 s", Package: "sortition", Bench: "BenchmarkWholeProcess/synthetic_370_50_households=true", Metric: "ns/op", Max: 2 * sec, Scale: sec, Unit: "s"},
	{Issue: "draw (#3)", What: "synthetic 300/45, 4 categories: 10x faster than 9.6 s", Package: "sortition/internal/leximin", Bench: "BenchmarkLeximinPool300x45", Metric: "ns/op", Max: 0.96 * sec, Scale: sec, Unit: "s"},
	{Issue: "draw (#3)", What: "synthetic 500/75, 4 categories: 10x faster than 41.8 s", Package: "sortition/internal/leximin", Bench: "BenchmarkLeximinPool500x75", Metric: "ns/op", Max: 4.18 * sec, Scale: sec, Unit: "s"},
	{Issue: "draw (#3)", What: "synthetic 750/112, 4 categories: 10x faster than 119 s", Package: "sortition/internal/leximin", Bench: "BenchmarkLeximinPool750x112", Metric: "ns/op", Max: 11.9 * sec, Scale: sec, Unit: "s"},
	{Issue: "invitations (#4)", What: "send pipeline on PostgreSQL, rate limit lifted, fake Twilio on loopback: at least 1000 msgs/s", Package: "internal/sender", Bench: "BenchmarkPipeline/postgres/workers=32", Metric: "msgs/s", Min: 1000, Scale: 1, Unit: "msgs/s"},
	{Issue: "invitations (#4)", What: "10,000 recipients imported on PostgreSQL in under 2 s", Package: "internal/store", Bench: "BenchmarkImportRecipients10000/postgres", Metric: "ns/op", Max: 2 * sec, Scale: sec, Unit: "s"},
	{Issue: "replies (#5)", What: "signed inbound webhooks on PostgreSQL, load from a second process: at least 2000 replies/s", Package: "cmd/panel", Bench: "BenchmarkWebhookLoad", Metric: "replies/s", Min: 2000, Scale: 1, Unit: "replies/s"},
	{Issue: "replies (#5)", What: "the same load: p99 latency under 50 ms", Package: "cmd/panel", Bench: "BenchmarkWebhookLoad", Metric: "p99_ms", Max: 50, Scale: 1, Unit: "ms"},
	{Issue: "simulation (#8)", What: "panel simulate, the reference round (4000 invitations) on SQLite, under 60 s", Package: "cmd/panel", Bench: "BenchmarkReferenceRound", Metric: "total_s", Max: 60, Scale: 1, Unit: "s"},
	{Issue: "console (#12)", What: "campaign overview page, 4000 recipients on PostgreSQL, server time under 50 ms", Package: "internal/console", Bench: "BenchmarkCampaignPage/postgres/overview", Metric: "ns/op", Max: 0.05 * sec, Scale: 1e6, Unit: "ms"},
	{Issue: "national draw (#17)", What: "generated 825/75/4, seed 1, whole process, under 10 s", Package: "sortition", Bench: "BenchmarkNationalDraw/825_75_4/seed=1", Metric: "ns/op", Max: 10 * sec, Scale: sec, Unit: "s"},
	{Issue: "national draw (#17)", What: "generated 825/75/4, seed 2, whole process, under 10 s", Package: "sortition", Bench: "BenchmarkNationalDraw/825_75_4/seed=2", Metric: "ns/op", Max: 10 * sec, Scale: sec, Unit: "s"},
	{Issue: "national draw (#17)", What: "generated 825/75/4, seed 3, whole process, under 10 s", Package: "sortition", Bench: "BenchmarkNationalDraw/825_75_4/seed=3", Metric: "ns/op", Max: 10 * sec, Scale: sec, Unit: "s"},
	{Issue: "national draw (#17)", What: "generated 1,727/110/7, seed 1, whole process, under 60 s", Package: "sortition", Bench: "BenchmarkNationalDraw/1727_110_7/seed=1", Metric: "ns/op", Max: 60 * sec, Scale: sec, Unit: "s",
		Independent: "the published leximin code on Gurobi: 4,011 s for the real 1,727/110/7 pool of the UK climate assembly (Flanigan, Gölz, Gupta, Hennig and Procaccia, Nature 2021, as cited in #17)"},
	{Issue: "national draw (#17)", What: "generated 1,727/110/7, seed 2, whole process, under 60 s", Package: "sortition", Bench: "BenchmarkNationalDraw/1727_110_7/seed=2", Metric: "ns/op", Max: 60 * sec, Scale: sec, Unit: "s"},
	{Issue: "national draw (#17)", What: "generated 1,727/110/7, seed 3, whole process, under 60 s", Package: "sortition", Bench: "BenchmarkNationalDraw/1727_110_7/seed=3", Metric: "ns/op", Max: 60 * sec, Scale: sec, Unit: "s"},
	{Issue: "national draw (#17)", What: "generated 4,000/200/7, seed 1, whole process, under 120 s", Package: "sortition", Bench: "BenchmarkNationalDraw/4000_200_7/seed=1", Metric: "ns/op", Max: 120 * sec, Scale: sec, Unit: "s"},
	{Issue: "national draw (#17)", What: "generated 4,000/200/7, seed 2, whole process, under 120 s", Package: "sortition", Bench: "BenchmarkNationalDraw/4000_200_7/seed=2", Metric: "ns/op", Max: 120 * sec, Scale: sec, Unit: "s"},
	{Issue: "national draw (#17)", What: "generated 4,000/200/7: peak resident memory of the benchmark process under 1 GB", Package: "sortition", Bench: "BenchmarkNationalDraw/4000_200_7/seed=2", Metric: "maxrss_MB", Max: 1024, Scale: 1, Unit: "MB"},
	{Issue: "national draw (#17)", What: "no regression: reference-round pool 370/50, whole process, under 0.5 s", Package: "sortition", Bench: "BenchmarkWholeProcess/synthetic_370_50_households=false", Metric: "ns/op", Max: 0.5 * sec, Scale: sec, Unit: "s"},
	{Issue: "draw (#3)", What: "legacy draw on the 370/50 pool under 10 ms", Package: "sortition", Bench: "BenchmarkLegacyDraw/synthetic_370_50", Metric: "ns/op", Max: 0.01 * sec, Scale: 1e6, Unit: "ms"},
	{Issue: "hardening (#16)", What: "1,000,000-row recipient import over HTTP on PostgreSQL: peak resident memory under 200 MB", Package: "internal/httpapi", Bench: "BenchmarkImportMillion/postgres", Metric: "maxrss_MB", Max: 200, Scale: 1, Unit: "MB"},
	{Issue: "hardening (#16)", What: "the same import within its 5-minute time limit", Package: "internal/httpapi", Bench: "BenchmarkImportMillion/postgres", Metric: "s/import", Max: 300, Scale: 1, Unit: "s"},
	{Issue: "hardening (#16)", What: "PostgreSQL hung for 40 s mid-round: /readyz 200 within 5 s of it answering again", Package: "cmd/panel", Bench: "BenchmarkPostgresHang", Metric: "s-to-ready", Max: 5, Scale: 1, Unit: "s"},
}
