package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer collects a command's log output safely across goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// getenv returns a getenv over m.
func getenv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// runCmd calls run to completion and returns its stdout, stderr and error.
func runCmd(t testing.TB, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr syncBuffer
	err := run(context.Background(), args, getenv(env), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

// createToken runs "token create" and returns the printed token.
func createToken(t testing.TB, env map[string]string, role, name string) string {
	t.Helper()
	stdout, stderr, err := runCmd(t, env, "token", "create", "--role", role, "--name", name)
	if err != nil {
		t.Fatalf("token create --role %s: %v\nstderr:\n%s", role, err, stderr)
	}
	tok := strings.TrimSpace(stdout)
	if tok == "" || strings.Contains(tok, "\n") {
		t.Fatalf("token create printed %q, want exactly one line with the token", stdout)
	}
	if strings.Contains(stderr, tok) {
		t.Fatalf("token create logged the token itself")
	}
	return tok
}

// service is a "panel serve" running in a goroutine.
type service struct {
	url    string
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan struct{} // closed when run has returned
	err    error         // run's result, set before done is closed
}

// startServe starts "run serve" with env and waits for its "listening on"
// line. The service is stopped when the test ends if stop was not called.
func startServe(t testing.TB, env map[string]string) *service {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &service{logs: &syncBuffer{}, cancel: cancel, done: make(chan struct{})}
	go func() {
		s.err = run(ctx, []string{"serve"}, getenv(env), pw, s.logs)
		pw.Close()
		close(s.done)
	}()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	line, ok := <-lines
	if !ok {
		<-s.done
		t.Fatalf("serve ended before listening: %v\nlogs:\n%s", s.err, s.logs)
	}
	addr, found := strings.CutPrefix(line, "listening on ")
	if !found {
		t.Fatalf("serve's first stdout line: got %q, want \"listening on HOST:PORT\"", line)
	}
	go func() {
		for line := range lines {
			t.Errorf("serve wrote more to stdout: %q", line)
		}
	}()
	s.url = "http://" + addr
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
		}
	})
	return s
}

// stop cancels the service's context and returns run's result.
func (s *service) stop(t testing.TB) error {
	t.Helper()
	s.cancel()
	select {
	case <-s.done:
		return s.err
	case <-time.After(30 * time.Second):
		return errors.New("serve did not return within 30 s of cancellation")
	}
}

// reply is one HTTP answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into v.
func (r reply) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
}

// errorCode returns error.code of an error body, or "".
func (r reply) errorCode() string {
	var b struct {
		Error struct{ Code, Message string }
	}
	_ = json.Unmarshal(r.body, &b)
	return b.Error.Code
}

var client = &http.Client{Timeout: 20 * time.Second}

// call sends one request; token and body may be empty.
func call(t testing.TB, method, url, token, body string) reply {
	t.Helper()
	r, err := tryCall(method, url, token, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return r
}

func tryCall(method, url, token, body string) (reply, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := client.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return reply{status: res.StatusCode, header: res.Header, body: b}, err
}
