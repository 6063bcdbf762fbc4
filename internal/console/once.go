package console

import (
	"sync"
	"time"
)

// onceCache remembers what a form submission (by its nonce) led to, so a
// form posted twice (a double click, a reload) is handled once: the second
// post gets the first one's result.
type onceCache struct {
	mu      sync.Mutex
	results map[string]onceResult
}

type onceResult struct {
	location string // where the first post redirected
	at       time.Time
}

// onceTTL is how long a submission is remembered.
const onceTTL = 30 * time.Minute

func newOnceCache() *onceCache { return &onceCache{results: map[string]onceResult{}} }

// do runs fn for key once; concurrent and later calls with the same key
// wait for it and get its location. An empty key always runs fn. A failed
// fn ("" location) is not remembered, so the form can be posted again.
func (o *onceCache) do(key string, now time.Time, fn func() string) (location string, repeated bool) {
	if key == "" {
		return fn(), false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for k, r := range o.results {
		if now.Sub(r.at) > onceTTL {
			delete(o.results, k)
		}
	}
	if r, ok := o.results[key]; ok {
		return r.location, true
	}
	loc := fn()
	if loc != "" {
		o.results[key] = onceResult{location: loc, at: now}
	}
	return loc, false
}
