// Package sortition draws citizens' panels by stratified random selection
// and produces a draw record that anyone can verify.
//
// It reads the quota and respondent CSV files used by the Sortition
// Foundation's tools and the published research code (ParseQuotas,
// ParsePeople), computes a fair lottery over quota-satisfying panels (leximin
// or maximin, rounded to a uniform lottery over m panels) or runs the
// original greedy "legacy" algorithm, and publishes a Record: Prepare freezes
// the inputs and publishes a commitment before the seed is known, Draw reveals
// the seed and fills in the panel and the reserves, Verify re-derives
// everything, and Replace picks a reserve for a member who leaves.
//
// The package uses only the standard library, no clock, no logging and no
// global randomness: every random choice comes from the seed as below.
//
// # Randomness
//
// The seed is a UTF-8 string (for example dice rolls read out at a public
// meeting), used byte for byte: no trimming, no normalisation.
//
// Streams. Each purpose has its own stream of 64-bit integers: the output of
// ChaCha8 as specified at c2sp.org/chacha8rand (the generator behind Go's
// math/rand/v2 ChaCha8), keyed by a 32-byte key:
//
//	lottery:  key = SHA-256(seed)
//	members:  key = SHA-256("panel-draw/1" || 0x00 || "members" || 0x00 || seed)
//	legacy:   key = SHA-256("panel-draw/1" || 0x00 || "legacy" || 0x00 || seed)
//	reserves: key = SHA-256("panel-draw/1" || 0x00 || "reserves" || 0x00 || seed)
//
// where || is byte concatenation and 0x00 a single zero byte. (The prefix
// stays "panel-draw/1" in records of format panel-draw/2.)
//
// Uniform integers. A uniform integer in [0, n) is drawn by rejection
// sampling: let r = 2^64 mod n; take the next 64-bit output x; if r != 0 and
// x >= 2^64 - r, discard x and take the next; return x mod n.
//
// Canonical order. Before anything else the pool is put in canonical order:
// people sorted by id, comparing the ids' UTF-8 bytes, and household keys
// renamed "h1", "h2", ... in order of first appearance in that order. The
// record's pool is in this order, and "pool order" below means it, so the
// order of the respondents file never changes the commitment, the lottery
// or who is drawn.
//
// Types. People with identical values in every category and no household
// are interchangeable and form one type; each person with a household is a
// type of their own. Types are numbered by their first member in pool order.
//
// Lottery index. For leximin and maximin the lottery index is the first
// uniform integer in [0, m) of the lottery stream, m being the number of
// published panels (panels_count). The lottery panel lottery.panels[index]
// fixes how many seats each type gets; who takes them is dealt from the
// members stream: for each type in type order, with k of the panel's people
// of that type (types with k = 0 are skipped and use no numbers) and its n
// members listed in pool order as a[0..n-1], for j = 0, 1, ..., k-1 let
// r = j + Uniform(n-j) and swap a[j] and a[r]; a[0..k-1] take the type's
// seats. The selected panel is all people so taken, listed in pool order.
// So among interchangeable people the choice is uniformly random and
// independent of their place in the file.
//
// Worked example. Seed "3-5-1-6-2-2-4-5 read at the council meeting":
//
//	key    = d61f8f5584b1acd55617a9aabbbac407dc9ce1a6127d076ae4cd8e6a4439abcc
//	x1..x3 = 15562511185623694620, 11042712977035216717, 9302316125746283911
//
// For m = 1000: r = 2^64 mod 1000 = 616, so values from
// 18446744073709551000 up are rejected; x1 is below that, and the index is
// x1 mod 1000 = 620. The empty seed gives key
// e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 and index
// 461; the seed "panel" gives index 124.
//
// Dealing seats, same seed: the members stream has key
// 4a205e527b9f7b90ee3bb421670d0f8a9e6b3c8f35993fc3b47e59a3fe85ed33 and
// outputs 5878623323418786538, 16686223954725485291, ... For a first type
// with members a, b, c, d, e (pool order) and k = 2 seats: Uniform(5) is
// 5878623323418786538 mod 5 = 3 (2^64 mod 5 = 1, nothing rejected), so
// positions 0 and 3 swap (d b c a e); Uniform(4) is 16686223954725485291
// mod 4 = 3, so positions 1 and 4 swap (d e c a b); d and e take the seats,
// and the next type continues the same stream.
//
// Legacy. The legacy algorithm takes every random number from the legacy
// stream, one Uniform(k) per seat, k being how many selectable people have
// the quota value it fills next (see legacyDraw); failed attempts continue the
// same stream. Its panel is listed in pool order; lottery_index is null.
//
// Reserves. Reserves are drawn from the reserves stream, in two phases, so
// that a member who leaves can usually be replaced without breaking a quota.
// The candidates are the pool members not on the selected panel and not yet
// reserves, in pool order. A candidate covers a panel member when the panel
// with the candidate in that member's seat meets every quota and the
// household rule; a member's cover count is the number of reserves so far
// that cover them.
//
// Cover phase: repeatedly, let c be the smallest cover count among the panel
// members covered by at least one candidate; score each candidate by the
// number of panel members with cover count c that it covers; append the
// Uniform(n)-th of the n candidates with the highest score (in pool order).
// It ends when the reserves are complete or no candidate covers anyone.
//
// Proportional phase, for the reserves still missing: repeatedly, among the
// quota values held by at least one panel member and one candidate, the one
// with the smallest ratio of reserves so far (both phases) having it to panel
// members having it (ties to the first in quota order) is chosen and a
// Uniform(k) candidate having it (k candidates, in pool order) is appended;
// with no such value, a Uniform candidate among all that remain.
//
// The reserves_count reserves, or all candidates if fewer, are listed in the
// order appended. Replace then takes the first unused reserve whose swap
// keeps every quota and the household rule, else the first unused reserve
// (quotas_kept false), passing over reserves who cannot be asked (they
// declined, dropped out or opted out). The history records only how many
// were passed over (passed_over), not who: the verifier takes the
// passed_over-th (from 0) of the unused reserves in order that keep every
// quota (quotas_kept true) or of all unused reserves (false; then the
// replacement must break a quota).
//
// # From types to people
//
// The lottery is computed over types (see Randomness). The published panels
// list people: within a type, a panel's seats are given round-robin to the
// type's members in pool order, continuing from one panel to the next; these
// ids only stand for the type (the seed deals the seats, see Lottery index).
// Panels list their ids in pool order. Each weight is 1/m, and a person's
// published probability is the number of seats all m panels give to the
// person's type divided by m times the number of people of that type;
// min_probability is the smallest of these, and max_deviation the largest
// distance between a person's published and exact (optimal) probability.
//
// # Computing the optimum
//
// The leximin probabilities are computed over types of people (equal
// features, no shared address). Every lottery's per-type probabilities lie
// in the linear relaxation of the panels (expected counts meeting every
// quota, the seat count and one person per household), so the leximin
// point of that relaxation bounds, level by level, what any lottery can
// reach; small LPs (a row per quota) give it and their duals certify it.
// That point is then written as a lottery over panels one panel at a time
// (each found by an integer program on the point's face, the point moved
// away from it), down to a weight of 1e-10; the lottery then reaches the
// bounds to about 1e-8, which proves it optimal. When some face holds no
// panel (small pools with tight quotas or households), column generation
// (Flanigan et al., Nature 2021) computes the optimum instead. Both are
// deterministic.
//
// # Rounding and its bound
//
// The optimal lottery (weights over the panels found) is rounded to m
// panels: each panel is taken a whole number of times, the numbers summing
// to m. A derandomised pipage rounding gives a start; a local search then
// moves one copy at a time from one panel to another while that lowers the
// largest per-type deviation |published − optimal|. max_deviation records
// the deviation achieved. RoundingBound(m) = 3/m is the documented bound:
// Prepare refuses a rounding above it, and Verify refuses a record whose
// max_deviation exceeds it. On the reference pools at m = 1000 the achieved
// deviation is 1.14/m to 1.5/m, and 1.3/m to 2.3/m on generated pools of 200
// to 4,000 people.
//
// # What Verify proves
//
// Without re-solving (VerifyOptions.Resolve false), Verify proves that the
// record is what was committed and that the seed picked its panel and
// reserves. With Resolve, it also re-solves the optimum from the record's
// pool and quotas (the leximin probabilities are unique; for maximin only the
// minimum is) and proves that the published lottery is a rounding of it:
// every person's published probability within max_deviation of their
// optimal probability (for maximin: nobody below the optimal minimum by more
// than max_deviation), max_deviation the largest such distance and at most
// RoundingBound(m), and optimal_min_probability the optimum's minimum, each
// to within ResolveTolerance (1e-6, the solver's accuracy). A lottery made
// unfair before the commitment therefore fails even when it was re-committed.
//
// # Households
//
// With household (address) columns, people whose trimmed, case-insensitive
// values agree in all of them form a household, and no panel has two people
// of one household. The record does not hold addresses: each person sharing
// an address gets an opaque key "h1", "h2", ... numbered by first appearance
// in the pool, which is all a verifier needs.
//
// # Commitment
//
// The committed fields are, in this order: format, software, algorithm,
// seats, reserves_count, household_columns, panels_count, legacy_attempts,
// quotas, pool, lottery, probabilities, min_probability,
// optimal_min_probability, max_deviation. Each field's value is encoded as
// canonical JSON (see CanonicalJSON: compact, object keys sorted, struct
// fields in record order, numbers in shortest round-trip form, no HTML
// escaping) and hashed with SHA-256; committed_fields holds these hex digests.
// The commitment is "sha256:" followed by the hex SHA-256 of the lines
// "<field> <hex digest>\n" in the order above. In a record written by
// WriteRecord, a field's canonical JSON is its text with the insignificant
// white space removed, so an auditor needs no JSON re-encoding of their own. The seed, lottery_index,
// selected, reserves and history are decided by the seed and not committed;
// Verify re-derives them.
package sortition
