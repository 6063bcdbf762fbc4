package twiliosms

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// callTransport is the http.RoundTripper of one Gateway call. twilio-go
// builds its requests with context.Background(); callTransport gives each
// request the call's context (bounded by the per-request timeout), so a
// deadline or cancellation aborts it, redirects it to the configured base
// URL, and remembers the last answer's status and headers, which twilio-go
// drops when it turns an answer into an error.
type callTransport struct {
	base    http.RoundTripper
	ctx     context.Context
	target  *url.URL // scheme and host to send to; nil keeps the request's own
	timeout time.Duration

	mu     sync.Mutex
	status int
	header http.Header
}

// RoundTrip implements http.RoundTripper.
func (t *callTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(t.ctx, t.timeout)
	out := req.Clone(ctx)
	if t.target != nil {
		out.URL.Scheme = t.target.Scheme
		out.URL.Host = t.target.Host
		out.Host = ""
	}
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		cancel()
		return nil, err
	}
	t.mu.Lock()
	t.status, t.header = resp.StatusCode, resp.Header.Clone()
	t.mu.Unlock()
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// last returns the status code and headers of the last answer, or 0 and nil
// when none arrived.
func (t *callTransport) last() (int, http.Header) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.status, t.header
}

// cancelOnClose releases a request's context once its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

// Close closes the body, then cancels the request's context.
func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
