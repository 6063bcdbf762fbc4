package faketwilio

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"
)

// apiPrefix is the path prefix of Twilio's 2010 REST API.
const apiPrefix = "/2010-04-01/Accounts/"

// Server is a fake Twilio REST API. Create it with New, then Start it; all
// methods are safe for concurrent use.
type Server struct {
	opts Options

	mu        sync.Mutex
	rng       *rand.Rand
	messages  []*record
	bySID     map[string]*record
	requests  int
	fetches   map[string]int // fetch requests per SID asked for
	deleted   []string       // SIDs deleted through the API
	faults    faultState
	callbacks CallbackOptions
	rates     OutcomeRates
	posted    []Callback
	started   bool
	closed    bool

	ctx    context.Context // ends on Close; bounds delays and callbacks
	cancel context.CancelFunc
	wg     sync.WaitGroup // handlers and callback goroutines
	srv    *http.Server
	ln     net.Listener
	base   string
}

// New returns a Server configured by opts; call Start to serve.
func New(opts Options) *Server {
	rng := rand.New(rand.NewPCG(opts.Seed, 0x7477696c696f)) // second word: "twilio"
	opts = opts.withDefaults(rng)
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts:      opts,
		rng:       rng,
		bySID:     make(map[string]*record),
		fetches:   make(map[string]int),
		faults:    newFaultState(),
		callbacks: opts.Callbacks,
		rates:     opts.Outcomes,
		ctx:       ctx,
		cancel:    cancel,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+apiPrefix+"{account}/Messages.json", s.handleCreate)
	mux.HandleFunc("GET "+apiPrefix+"{account}/Messages.json", s.handleList)
	mux.HandleFunc("GET "+apiPrefix+"{account}/Messages/{file}", s.handleFetch)
	mux.HandleFunc("DELETE "+apiPrefix+"{account}/Messages/{file}", s.handleDelete)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found", nil)
	})
	s.srv = &http.Server{Handler: s.track(mux), ReadHeaderTimeout: 10 * time.Second}
	return s
}

// Start listens on Options.Addr and serves in the background. It returns
// the base URL, e.g. "http://127.0.0.1:40123".
func (s *Server) Start() (baseURL string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", errors.New("faketwilio: start after close")
	}
	if s.started {
		return s.base, nil
	}
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return "", fmt.Errorf("faketwilio: listen on %s: %w", s.opts.Addr, err)
	}
	s.ln, s.started = ln, true
	s.base = "http://" + ln.Addr().String()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.opts.Logger.Error("fake twilio stopped serving", slog.String("error", err.Error()))
		}
	}()
	s.opts.Logger.Info("fake twilio listening", slog.String("base_url", s.base))
	return s.base, nil
}

// BaseURL returns the URL Start returned, or "" before Start.
func (s *Server) BaseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base
}

// AccountSID returns the account the server accepts.
func (s *Server) AccountSID() string { return s.opts.AccountSID }

// AuthToken returns the account's auth token.
func (s *Server) AuthToken() string { return s.opts.AuthToken }

// Close stops serving, aborts pending delays and callbacks, and waits for
// every goroutine the server started. It is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()

	s.cancel()
	if err := s.srv.Close(); err != nil {
		s.opts.Logger.Warn("fake twilio close", slog.String("error", err.Error()))
	}
	s.wg.Wait()
}

// spawn runs f in a goroutine that Close waits for; it reports false, and
// does not run f, once the server is closed.
func (s *Server) spawn(f func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
	return true
}

// track makes Close wait for requests in flight.
func (s *Server) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			writeError(w, http.StatusServiceUnavailable, 20503, "Service Unavailable", nil)
			return
		}
		s.wg.Add(1)
		s.mu.Unlock()
		defer s.wg.Done()
		next.ServeHTTP(w, r)
	})
}

// authorize checks Basic auth and the account in the path, writing Twilio's
// error answer and returning false when they do not match.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok || !equal(user, s.opts.AccountSID) || !equal(pass, s.opts.AuthToken) {
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate", nil)
		return false
	}
	if r.PathValue("account") != s.opts.AccountSID {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found", nil)
		return false
	}
	return true
}

// equal compares two strings in constant time.
func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// wait sleeps for d, or less if the request or the server ends first; it
// reports whether the full time passed.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.ctx.Done():
		return false
	}
}
