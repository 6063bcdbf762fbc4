package sender

import (
	"math/rand/v2"
	"sync"
	"time"
)

// backoff draws retry delays with full jitter.
type backoff struct {
	mu        sync.Mutex
	rng       *rand.Rand
	base, max time.Duration
}

// delay returns the wait before attempt+1 after the attempt-th failed: a
// uniform random duration in [0, min(max, base*2^(attempt-1))], at least
// floor (the provider's Retry-After).
func (b *backoff) delay(attempt int, floor time.Duration) time.Duration {
	ceiling := b.max
	if attempt < 1 {
		attempt = 1
	}
	if attempt-1 < 62 {
		if d := b.base << (attempt - 1); d > 0 && d < ceiling {
			ceiling = d
		}
	}
	b.mu.Lock()
	d := time.Duration(b.rng.Int64N(int64(ceiling) + 1))
	b.mu.Unlock()
	return max(d, floor)
}
