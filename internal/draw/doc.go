// Package draw runs a campaign's stratified draw as a public ceremony on
// top of package sortition: quotas checked against the pool, volunteers
// imported from other channels, the pool frozen and the lottery committed
// (in the background, claimed under a lease so that one replica computes
// it), the seed revealed once, the record published, the members notified
// through the outbox, and members who leave replaced from the reserves.
//
// The draw worker (Service.Run, a panel.Worker) ticks periodically: it
// computes committing draws, drops selected members whose confirmation
// deadline passed, and replaces members who left. Every step is a
// conditional change in the database, so ticks on several replicas, or a
// tick after a crash, do each thing once. Lottery computations stop when
// the worker's context ends; a draw left committing is taken up again
// once its lease runs out.
package draw
