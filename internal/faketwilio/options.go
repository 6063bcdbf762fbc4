package faketwilio

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"
)

// Options configure a Server. The zero value works: a generated account and
// token, the real clock, no logs, seed 0, immediate in-order callbacks and
// every message delivered.
type Options struct {
	// Addr is the listen address. Default "127.0.0.1:0" (a free loopback port).
	Addr string
	// AccountSID is the account the server accepts ("AC" + 32 hex); letters
	// and digits only. Default: one derived from Seed.
	AccountSID string
	// AuthToken is the account's token: the Basic auth password and the key
	// that signs callbacks and inbound SMS. Default: one derived from Seed.
	AuthToken string
	// Clock gives the time stamped on messages. Default time.Now.
	Clock func() time.Time
	// Logger receives the server's logs (never numbers or bodies). Default: discard.
	Logger *slog.Logger
	// Seed seeds the server's PCG random source. Default 0.
	Seed uint64
	// Callbacks shapes status callbacks; see CallbackOptions.
	Callbacks CallbackOptions
	// Outcomes are the default delivery outcome rates. Default: all delivered.
	Outcomes OutcomeRates
	// HTTPClient posts status callbacks and inbound SMS. Default: a client
	// with a 10 s timeout.
	HTTPClient *http.Client
}

// CallbackOptions shape the status callbacks of a message.
type CallbackOptions struct {
	// Delay is the wait before each status change (and its callback). Default 0.
	Delay time.Duration
	// Jitter adds a random extra wait in [0, Jitter) to each Delay. Default 0.
	Jitter time.Duration
	// OutOfOrder is the chance (0..1) that a message's callbacks are posted in
	// a shuffled order (never the true one) after its last status change.
	// Default 0: in order, each as it happens.
	OutOfOrder float64
	// Duplicate is the chance (0..1) that a callback is posted twice. Default 0.
	Duplicate float64
}

// withDefaults fills the unset options; rng draws the generated credentials.
func (o Options) withDefaults(rng *rand.Rand) Options {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.AccountSID == "" {
		o.AccountSID = "AC" + hex32(rng)
	}
	if o.AuthToken == "" {
		o.AuthToken = hex32(rng)
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	return o
}

// hex32 draws 32 lowercase hex digits, the body of a Twilio SID.
func hex32(rng *rand.Rand) string {
	return fmt.Sprintf("%016x%016x", rng.Uint64(), rng.Uint64())
}
