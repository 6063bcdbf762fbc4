package httpapi

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestMetricsCardinality sends requests with made-up methods and random
// paths and checks that they add one series each for the unknown method
// and the unmatched route, not one per method or path.
func TestMetricsCardinality(t *testing.T) {
	e := setup(t, nil)
	series := func() map[string]bool {
		body := string(e.do(t, "GET", "/metrics", "", nil).body)
		out := map[string]bool{}
		for line := range strings.Lines(body) {
			if strings.HasPrefix(line, "panel_http_requests_total{") {
				out[line[:strings.LastIndex(line, " ")]] = true
			}
		}
		return out
	}
	rng := rand.New(rand.NewPCG(1, 2))
	letters := "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		return string(b)
	}
	const n = 300
	for i := range n {
		method := word(3 + rng.IntN(8))
		path := "/" + strings.ToLower(word(5)) + fmt.Sprintf("/%d", i)
		switch i % 3 {
		case 0: // a made-up method on a real route
			path = "/api/v1/campaigns"
		case 1: // a known method on a random path
			method = "GET"
		}
		if r := e.do(t, method, path, organiserToken, nil); r.status != 404 && r.status != 405 {
			t.Fatalf("%s %s: got %d, want 404 or 405", method, path, r.status)
		}
	}
	got := series()
	route := regexp.MustCompile(`route="([^"]*)"`)
	method := regexp.MustCompile(`method="([^"]*)"`)
	for s := range got {
		r, m := route.FindStringSubmatch(s)[1], method.FindStringSubmatch(s)[1]
		if r != "unmatched" && !strings.HasPrefix(r, "/") {
			t.Errorf("series %s: route %q is neither a template nor \"unmatched\"", s, r)
		}
		if !knownMethods[m] && m != otherMethod {
			t.Errorf("series %s: method %q is not normalised", s, m)
		}
	}
	// /metrics itself, then every unknown method and random path in at
	// most one series per (route, method class, status).
	if len(got) > 6 {
		t.Errorf("after %d hostile requests: %d series of panel_http_requests_total, want at most 6:\n%v", n, len(got), got)
	}
	if !got[`panel_http_requests_total{method="OTHER",route="unmatched",status="405"}`] &&
		!got[`panel_http_requests_total{method="OTHER",route="unmatched",status="404"}`] {
		t.Errorf("want a series for made-up methods labelled OTHER; got %v", got)
	}
}
