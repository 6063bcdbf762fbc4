package panel

import "context"

// Worker is background work that runs for the life of the service: the
// outbox sender, the delivery status poller, the reminder scheduler and the
// draw worker. `panel serve` starts each in its own goroutine and, on
// shutdown, cancels and waits for them one by one in the reverse order.
type Worker interface {
	// Run works until ctx ends and then returns within a few seconds,
	// with nil; work in flight either finishes quickly or is left for the
	// next run to take up (nothing is lost). An error means it could not
	// work at all.
	Run(ctx context.Context) error
}
