package store

import (
	"net/url"
	"testing"
)

func TestWithConnectTimeout(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"added", "postgres://u@h:5432/db?sslmode=disable", "5"},
		{"added without query", "postgres://u@h/db", "5"},
		{"kept", "postgres://u@h/db?connect_timeout=17", "17"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := withConnectTimeout(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(out)
			if err != nil {
				t.Fatal(err)
			}
			if got := u.Query().Get("connect_timeout"); got != tt.want {
				t.Errorf("connect_timeout: got %q, want %q (%s)", got, tt.want, out)
			}
			if u.Host != mustHost(t, tt.in) || u.Path != "/db" {
				t.Errorf("got %s, want the same server and database as %s", out, tt.in)
			}
		})
	}
}

func mustHost(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
