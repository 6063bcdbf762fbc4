package password_test

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/password"
)

func TestHashVerify(t *testing.T) {
	t.Parallel()
	h, err := password.Hash("correct horse battery", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$") {
		t.Errorf("got hash %q, want the argon2id text form", h)
	}
	h2, _ := password.Hash("correct horse battery", rand.Reader)
	if h == h2 {
		t.Error("two hashes of one password are equal; want different salts")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
	} {
		got, err := password.Verify(tc.pw, h)
		if err != nil || got != tc.want {
			t.Errorf("Verify(%q): got %v, %v; want %v", tc.pw, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if _, err := password.Verify("x", bad); err == nil {
			t.Errorf("Verify with hash %q: got no error, want one", bad)
		}
	}
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	a, err := password.Generate(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := password.Generate(rand.Reader)
	if len(a) != 20 || a == b || password.Check(a) != "" {
		t.Errorf("got %q and %q, want two different acceptable 20-character passwords", a, b)
	}
	if strings.ContainsAny(a+b, "0O1lI") {
		t.Errorf("got %q %q, want no look-alike characters", a, b)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	if password.Check("short") == "" {
		t.Error("Check(short): got no problem, want one")
	}
	if password.Check(strings.Repeat("x", 201)) == "" {
		t.Error("Check(201 chars): got no problem, want one")
	}
	if got := password.Check("long enough!"); got != "" {
		t.Errorf("Check: got %q, want none", got)
	}
}
