package simulate

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// flakyAPI is a service that handles a create and then drops the
// connection before answering (dropCreates times), and answers 503 to the
// first unavailable reads.
type flakyAPI struct {
	mu                       sync.Mutex
	created, reads           int
	dropCreates, unavailable int
}

// counts returns how many creates and reads arrived.
func (f *flakyAPI) counts() (created, reads int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.created, f.reads
}

func (f *flakyAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.Method {
	case http.MethodPost:
		f.created++
		if f.dropCreates > 0 {
			f.dropCreates--
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"id":7}`))
	case http.MethodGet:
		f.reads++
		if f.unavailable > 0 {
			f.unavailable--
			http.Error(w, `{"error":{"code":"unavailable","message":"database unreachable"}}`, http.StatusServiceUnavailable)
			return
		}
		if f.created > 0 {
			w.Write([]byte(`{"found":true}`))
			return
		}
		w.Write([]byte(`{"found":false}`))
	}
}

func TestClientRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                     string
		dropCreates, unavailable int
		outage                   time.Duration
		wantCreated              int
		wantErr                  string
	}{
		{"answered", 0, 0, time.Minute, 1, ""},
		{"created but not answered: found, not created again", 1, 0, time.Minute, 1, ""},
		{"found only once the service answers reads again", 1, 3, time.Minute, 1, ""},
		{"no retries without an outage window", 1, 0, -1, 1, "POST /api/v1/things"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := &flakyAPI{dropCreates: tt.dropCreates, unavailable: tt.unavailable}
			srv := httptest.NewServer(api)
			defer srv.Close()
			c := &client{base: srv.URL, token: "t", http: srv.Client(), outage: tt.outage}
			ctx := context.Background()
			err := c.create(ctx, "POST", "/api/v1/things", map[string]string{"a": "b"}, "", nil, func() (bool, error) {
				var got struct {
					Found bool `json:"found"`
				}
				err := c.do(ctx, "GET", "/api/v1/things", nil, "", &got)
				return got.Found, err
			})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("create: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("create: got error %v, want one containing %q", err, tt.wantErr)
			}
			if created, _ := api.counts(); created != tt.wantCreated {
				t.Errorf("created %d times, want %d", created, tt.wantCreated)
			}
		})
	}
}

func TestCallRetriesUnavailableReadsWithinTheWindow(t *testing.T) {
	t.Parallel()
	api := &flakyAPI{unavailable: 2}
	srv := httptest.NewServer(api)
	defer srv.Close()
	c := &client{base: srv.URL, http: srv.Client(), outage: time.Minute}
	if err := c.call(context.Background(), "GET", "/api/v1/things", nil, "", nil); err != nil {
		t.Fatalf("call: %v", err)
	}
	if _, reads := api.counts(); reads != 3 {
		t.Errorf("reads: got %d, want 3 (two 503s, then an answer)", reads)
	}

	// A refusal is not retried.
	refused := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusConflict)
	}))
	defer refused.Close()
	c = &client{base: refused.URL, http: refused.Client(), outage: time.Minute}
	err := c.call(context.Background(), "GET", "/api/v1/things", nil, "", nil)
	var ae *apiError
	if !errors.As(err, &ae) || ae.Status != http.StatusConflict {
		t.Errorf("call: got %v, want the 409 at once", err)
	}

	// An outage longer than the window fails.
	srv.Close()
	c = &client{base: srv.URL, http: srv.Client(), outage: 100 * time.Millisecond}
	if err := c.call(context.Background(), "GET", "/api/v1/things", nil, "", nil); err == nil || !strings.Contains(err.Error(), "unreachable for") {
		t.Errorf("call to a closed server: got %v, want an error naming the outage", err)
	}
}
