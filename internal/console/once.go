package console

import (
	"sync"
	"time"
)

// onceCache remembers what a form submission (by its nonce) led to, so a
// form posted twice (a double click, a reload) is handled once: the second
// post waits for the first and gets its result. Different forms never
// wait for each other.
type onceCache struct {
	mu      sync.Mutex
	entries map[string]*onceEntry
}

type onceEntry struct {
	done     chan struct{} // closed when the first post has finished
	location string        // where it redirected; "" when it failed
	at       time.Time
}

// onceTTL is how long a submission is remembered.
const onceTTL = 30 * time.Minute

func newOnceCache() *onceCache { return &onceCache{entries: map[string]*onceEntry{}} }

// do runs fn for key once. A later or concurrent call with the same key
// waits for it and returns its location with repeated set. A failed fn
// ("" location) is forgotten, so the form can be posted again. An empty
// key always runs fn.
func (o *onceCache) do(key string, now time.Time, fn func() string) (location string, repeated bool) {
	if key == "" {
		return fn(), false
	}
	for {
		o.mu.Lock()
		for k, e := range o.entries {
			if now.Sub(e.at) > onceTTL && isClosed(e.done) {
				delete(o.entries, k)
			}
		}
		e, seen := o.entries[key]
		if !seen {
			e = &onceEntry{done: make(chan struct{}), at: now}
			o.entries[key] = e
		}
		o.mu.Unlock()
		if seen {
			<-e.done
			if e.location != "" {
				return e.location, true
			}
			continue // the first post failed and was forgotten: try this one
		}
		e.location = fn()
		if e.location == "" {
			o.mu.Lock()
			delete(o.entries, key)
			o.mu.Unlock()
		}
		close(e.done)
		return e.location, false
	}
}

// isClosed reports whether ch is closed.
func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
