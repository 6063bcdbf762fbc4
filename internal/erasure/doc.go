// Package erasure finishes what a purge starts, in the background: it asks
// the SMS provider to delete its copies of purged messages (the provider
// keeps each message's number and body in its own logs), and it purges the
// SMS received from numbers in no campaign once they are older than the
// retention period. Its Worker is one of the workers `panel serve` runs.
//
// A provider deletion that fails is recorded (attempts and the provider's
// error, in the store) and tried again with a growing delay, capped at
// MaxBackoff; it is never dropped. A message the provider no longer holds
// counts as deleted.
package erasure
