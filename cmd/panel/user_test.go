package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/config"
	"github.com/citizenspanel/panel/internal/panel"
)

func TestUserCommand(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "panel.db")
	env := map[string]string{"PANEL_DATABASE_URL": dbURL}
	cfg, err := config.Load(getenv(env))
	if err != nil {
		t.Fatal(err)
	}
	user := func(stdin string, args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := userCommand(context.Background(), cfg, slog.New(slog.DiscardHandler), args, strings.NewReader(stdin), &out, &errOut)
		return out.String(), err
	}

	out, err := user("", "create", "--name", "kari", "--role", "organiser")
	if err != nil || len(strings.TrimSpace(out)) != 20 {
		t.Fatalf("create: got %q, %v; want a 20-character password", out, err)
	}
	if out, err := user("et langt passord\n", "create", "--name", "revi", "--role", "auditor", "--password-stdin"); err != nil || strings.Contains(out, "et langt passord") {
		t.Fatalf("create --password-stdin: got %q, %v", out, err)
	}
	for _, tc := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"create", "--name", "x", "--role", "admin"}},
		{"", []string{"create", "--role", "caller"}},
		{"kort\n", []string{"create", "--name", "y", "--role", "caller", "--password-stdin"}},
		{"", []string{"create", "--name", "z", "--role", "caller", "--bogus"}},
		{"", []string{"create", "--help"}},
		{"", []string{"remove", "--name", "kari"}},
		{"", []string{"disable"}},
		{"", []string{"list", "extra"}},
		{"", nil},
	} {
		_, err := user(tc.stdin, tc.args...)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("user %v: got %v, want a usage error (exit 2)", tc.args, err)
		}
	}
	if _, err := user("", "create", "--name", "kari", "--role", "caller"); panel.ErrorCode(err) != panel.ECONFLICT {
		t.Errorf("create kari again: got %v, want conflict", err)
	}
	if out, err := user("", "disable", "--name", "revi"); err != nil || !strings.Contains(out, "revi disabled") {
		t.Errorf("disable: got %q, %v", out, err)
	}
	if _, err := user("", "disable", "--name", "nobody"); panel.ErrorCode(err) != panel.ENOTFOUND {
		t.Errorf("disable nobody: got %v, want not_found", err)
	}
	out, err = user("", "list")
	if err != nil || !strings.Contains(out, "kari  organiser") || !strings.Contains(out, "revi  auditor") || !strings.Contains(out, "disabled") {
		t.Errorf("list: got %q, %v", out, err)
	}
	// Through run, as main calls it: the same usage errors.
	if _, _, err := runCmd(t, env, "user", "create", "--name", "q", "--role", "boss"); !errors.As(err, new(*usageError)) {
		t.Errorf("run user create --role boss: got %v, want a usage error", err)
	}
}
