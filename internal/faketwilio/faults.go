package faketwilio

import "time"

// AcceptFailure is how a message that was created answers in "accept then
// fail" mode.
type AcceptFailure int

// Ways to fail after accepting a message.
const (
	DropConnection AcceptFailure = iota // close the connection without an answer
	Answer500                           // answer 500 although the message exists
)

// faultState holds the injected faults; guarded by Server.mu.
type faultState struct {
	numberErrors   map[string]int
	outcomes       map[string]Outcome
	rateLimit      float64
	rateLimitNext  int
	retryAfter     time.Duration
	failNext       int
	failStatus     int
	delay          time.Duration
	acceptFailNext int
	acceptFailHow  AcceptFailure
	fetchFailNext  int
	fetchFailCode  int // HTTP status of failed fetches
	deleteFailNext int
	deleteFailCode int // HTTP status of failed deletes
}

// newFaultState returns the state without faults.
func newFaultState() faultState {
	return faultState{
		numberErrors: make(map[string]int),
		outcomes:     make(map[string]Outcome),
		retryAfter:   time.Second,
	}
}

// SetNumberError makes creates to the number to fail with a permanent
// Twilio error: 21211 (invalid number), 21610 (unsubscribed), 21614 (not a
// mobile) or 21408 (region not enabled), all answered 400. Code 0 clears it.
func (s *Server) SetNumberError(to string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		delete(s.faults.numberErrors, to)
		return
	}
	s.faults.numberErrors[to] = code
}

// SetRateLimit makes each create answer 429 (code 20429) with chance p (0..1).
func (s *Server) SetRateLimit(p float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.rateLimit = p
}

// RateLimitNext makes the next n creates answer 429 (code 20429).
func (s *Server) RateLimitNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.rateLimitNext = n
}

// SetRetryAfter sets the Retry-After header of 429 answers, rounded up to
// whole seconds; 0 leaves the header out. Default 1 s.
func (s *Server) SetRetryAfter(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.retryAfter = d
}

// FailNext makes the next n creates answer status (500 or 503; any 5xx)
// without creating anything.
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.failNext, s.faults.failStatus = n, status
}

// FailFetchesNext makes the next n fetches of a message answer status: 429
// (code 20429) or a 5xx (code 20500, or 20503 for 503).
func (s *Server) FailFetchesNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.fetchFailNext, s.faults.fetchFailCode = n, status
}

// FailDeletesNext makes the next n deletes of a message answer status, as
// FailFetchesNext does for fetches; the messages stay.
func (s *Server) FailDeletesNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.deleteFailNext, s.faults.deleteFailCode = n, status
}

// refuseFetchLocked decides whether a fetch is refused by FailFetchesNext.
func (s *Server) refuseFetchLocked() *refusal {
	return refuseNext(&s.faults.fetchFailNext, s.faults.fetchFailCode)
}

// refuseDeleteLocked decides whether a delete is refused by FailDeletesNext.
func (s *Server) refuseDeleteLocked() *refusal {
	return refuseNext(&s.faults.deleteFailNext, s.faults.deleteFailCode)
}

// refuseNext counts down *next and, while it was positive, answers
// status: 429, 503 or another 5xx.
func refuseNext(next *int, status int) *refusal {
	if *next <= 0 {
		return nil
	}
	*next--
	switch {
	case status == 429:
		return &refusal{status: 429, code: 20429, message: "Too Many Requests"}
	case status == 503:
		return &refusal{status: 503, code: 20503, message: "Service Unavailable"}
	default:
		return &refusal{status: 500, code: 20500, message: "Internal Server Error"}
	}
}

// Forget removes the message with the given SID, as when it was deleted
// at Twilio: fetching it answers 404 from now on, and its remaining
// status changes and callbacks do not happen. It reports whether the
// message existed.
func (s *Server) Forget(sid string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.bySID[sid]
	if !ok {
		return false
	}
	delete(s.bySID, sid)
	for i, m := range s.messages {
		if m == rec {
			s.messages = append(s.messages[:i], s.messages[i+1:]...)
			break
		}
	}
	return true
}

// SetDelay delays every API answer (create, fetch, list) by d, e.g. to make
// clients time out. Zero removes the delay.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.delay = d
}

// AcceptThenFail makes the next n creates create the message (it is counted,
// listed and delivered) and then fail the way how says, leaving the client in
// doubt.
func (s *Server) AcceptThenFail(n int, how AcceptFailure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.acceptFailNext, s.faults.acceptFailHow = n, how
}

// SetOutcome fixes the delivery outcome of messages created for to from now on.
func (s *Server) SetOutcome(to string, o Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.outcomes[to] = o
}

// SetOutcomeRates sets the outcome rates of numbers without an outcome of their own.
func (s *Server) SetOutcomeRates(r OutcomeRates) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rates = r
}

// SetCallbackOptions changes how callbacks of messages created from now on behave.
func (s *Server) SetCallbackOptions(c CallbackOptions) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.callbacks = c
}

// ResetFaults removes every injected fault and per-number outcome, and
// restores the outcome rates and callback options given to New.
func (s *Server) ResetFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetFaultsLocked()
}

// resetFaultsLocked is ResetFaults with Server.mu held.
func (s *Server) resetFaultsLocked() {
	s.faults = newFaultState()
	s.rates = s.opts.Outcomes
	s.callbacks = s.opts.Callbacks
}

// Reset forgets every message, request and fetch count and posted callback, and
// removes every fault. Callbacks still in flight carry on.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages, s.bySID, s.requests, s.posted = nil, make(map[string]*record), 0, nil
	s.fetches = make(map[string]int)
	s.resetFaultsLocked()
}

// refusal is a fault answer decided for one create.
type refusal struct {
	status, code int
	message      string
	retryAfter   time.Duration
}

// refuseLocked decides whether a create is refused by a server-side fault
// (rate limit, server error) before anything is created.
func (s *Server) refuseLocked() *refusal {
	f := &s.faults
	switch {
	case f.failNext > 0:
		f.failNext--
		status := f.failStatus
		if status < 500 || status > 599 {
			status = 500
		}
		code, msg := 20500, "Internal Server Error"
		if status == 503 {
			code, msg = 20503, "Service Unavailable"
		}
		return &refusal{status: status, code: code, message: msg}
	case f.rateLimitNext > 0:
		f.rateLimitNext--
		return &refusal{status: 429, code: 20429, message: "Too Many Requests", retryAfter: f.retryAfter}
	case f.rateLimit > 0 && s.rng.Float64() < f.rateLimit:
		return &refusal{status: 429, code: 20429, message: "Too Many Requests", retryAfter: f.retryAfter}
	}
	return nil
}
