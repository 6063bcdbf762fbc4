package simulate

import (
	"sync"
	"time"
)

// RoundStart is when the simulated round begins: a Monday morning in
// October, seven weeks before the first reference meeting, so the panel
// is confirmed more than a week before it.
func RoundStart(loc *time.Location) time.Time {
	return time.Date(2026, time.October, 5, 9, 0, 0, 0, loc)
}

// OffsetClock is a clock that runs with real time from a chosen start and
// can be moved forward. It is safe for concurrent use.
type OffsetClock struct {
	mu     sync.Mutex
	offset time.Duration
	loc    *time.Location
	real   func() time.Time
}

// NewOffsetClock returns a clock that reads start now and runs on from
// there, in start's location.
func NewOffsetClock(start time.Time) *OffsetClock {
	return newOffsetClock(start, time.Now)
}

func newOffsetClock(start time.Time, real func() time.Time) *OffsetClock {
	return &OffsetClock{offset: start.Sub(real()), loc: start.Location(), real: real}
}

// Now returns the clock's time.
func (c *OffsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.real().Add(c.offset).In(c.loc)
}

// Advance moves the clock forward by d (never back).
func (c *OffsetClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}
