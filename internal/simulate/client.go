package simulate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// client calls the admin API with a bearer token, as an organiser's script
// would.
type client struct {
	base  string // e.g. "http://127.0.0.1:40123"
	token string
	http  *http.Client
	// outage is how long a call keeps trying while the service cannot be
	// reached (a restart, a crash); see Config.Outage.
	outage time.Duration
}

// apiError is an answer outside 2xx.
type apiError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *apiError) Error() string {
	body := e.Body
	if len(body) > 400 {
		body = body[:400] + "…"
	}
	return fmt.Sprintf("%s %s: status %d: %s", e.Method, e.Path, e.Status, strings.TrimSpace(body))
}

// unreachableError is a call that got no complete answer: the connection
// was refused, reset or closed mid-answer. The request may or may not have
// been handled.
type unreachableError struct{ err error }

func (e *unreachableError) Error() string { return e.err.Error() }
func (e *unreachableError) Unwrap() error { return e.err }

// unreachable reports whether err means the service could not answer (no
// answer, or 502/503/504), as opposed to an answer that refuses the call.
func unreachable(err error) bool {
	var u *unreachableError
	if errors.As(err, &u) {
		return true
	}
	var a *apiError
	if errors.As(err, &a) {
		return a.Status == http.StatusBadGateway || a.Status == http.StatusServiceUnavailable || a.Status == http.StatusGatewayTimeout
	}
	return false
}

// do sends body (JSON-encoded unless it is a string, sent as contentType)
// once and decodes a 2xx answer into out when out is not nil.
func (c *client) do(ctx context.Context, method, path string, body any, contentType string, out any) error {
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			return err
		}
		contentType = "application/json"
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" && strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &unreachableError{fmt.Errorf("%s %s: %w", method, path, err)}
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &unreachableError{fmt.Errorf("%s %s: read answer: %w", method, path, err)}
	}
	if resp.StatusCode/100 != 2 {
		return &apiError{Method: method, Path: path, Status: resp.StatusCode, Body: string(answer)}
	}
	if out == nil {
		return nil
	}
	if b, ok := out.(*[]byte); ok {
		*b = answer
		return nil
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
	}
	return nil
}

// call is do for a request that may be repeated without harm (a read, a
// PUT, or a POST the service makes idempotent): while the service cannot
// be reached it tries again, for up to c.outage.
func (c *client) call(ctx context.Context, method, path string, body any, contentType string, out any) error {
	return c.retry(ctx, func() error { return c.do(ctx, method, path, body, contentType, out) })
}

// create is do for a request that must take effect once (it creates
// something). When an attempt gets no answer, it asks find (retrying while
// the service is down) whether the attempt took effect, and tries again
// only when it did not; find reports true when it did, having read what
// was created into out.
func (c *client) create(ctx context.Context, method, path string, body any, contentType string, out any, find func() (bool, error)) error {
	deadline := time.Now().Add(c.outage)
	for {
		err := c.do(ctx, method, path, body, contentType, out)
		if !unreachable(err) || c.outage <= 0 {
			return err
		}
		var found bool
		if ferr := c.retry(ctx, func() error {
			var e error
			found, e = find()
			return e
		}); ferr != nil {
			return fmt.Errorf("%w; then, checking whether it took effect: %w", err, ferr)
		}
		if found {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the service was unreachable for %s: %w", c.outage, err)
		}
	}
}

// retry runs attempt until it succeeds, fails for another reason than the
// service being unreachable, or c.outage has passed since the first
// failure.
func (c *client) retry(ctx context.Context, attempt func() error) error {
	var deadline time.Time
	wait := 20 * time.Millisecond
	for {
		err := attempt()
		if !unreachable(err) || c.outage <= 0 {
			return err
		}
		if deadline.IsZero() {
			deadline = time.Now().Add(c.outage)
		} else if time.Now().After(deadline) {
			return fmt.Errorf("the service was unreachable for %s: %w", c.outage, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
	}
}
