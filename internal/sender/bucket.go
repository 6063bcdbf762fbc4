package sender

import (
	"math"
	"sync"
	"time"
)

// bucket is a token bucket: tokens refill at rate per second up to burst,
// and each message takes one. A taker that finds none gets a reservation in
// the future (the bucket goes into debt), so concurrent takers are spaced
// out evenly instead of racing.
type bucket struct {
	mu     sync.Mutex
	rate   float64 // tokens per second; +Inf for no limit
	burst  float64
	tokens float64
	last   time.Time
}

// newBucket returns a full bucket. burst is clamped to 1..max(1, rate).
func newBucket(rate float64, burst int) *bucket {
	b := &bucket{}
	b.set(rate, burst)
	b.tokens = b.burst
	return b
}

// set changes the rate and burst, keeping the tokens (at most burst).
func (b *bucket) set(rate float64, burst int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rate = rate
	b.burst = math.Max(1, math.Min(float64(burst), math.Max(1, rate)))
	b.tokens = math.Min(b.tokens, b.burst)
}

// take takes one token at now and returns how long to wait before using it.
func (b *bucket) take(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if math.IsInf(b.rate, 1) {
		return 0
	}
	if b.last.IsZero() {
		b.last = now
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = math.Min(b.burst, b.tokens+elapsed.Seconds()*b.rate)
		b.last = now
	}
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(math.Ceil(-b.tokens / b.rate * float64(time.Second)))
}
