package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunCommandLine(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "panel.db")
	env := map[string]string{"PANEL_DATABASE_URL": db}
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		wantUsage  bool   // a usage error (exit 2)
		wantErr    string // substring of any other error
		wantStdout string // substring of stdout
	}{
		{"help", env, []string{"help"}, false, "", "panel token create --role R --name N"},
		{"-h", env, []string{"-h"}, false, "", "Usage:"},
		{"no command", env, nil, true, "no command given", ""},
		{"unknown command", env, []string{"frobnicate"}, true, `unknown command "frobnicate"`, ""},
		{"serve with arguments", env, []string{"serve", "now"}, true, "serve takes no arguments", ""},
		{"migrate applies", env, []string{"migrate"}, false, "", "applied 00001_"},
		{"migrate again", env, []string{"migrate"}, false, "", "no pending migrations"},
		{"token without subcommand", env, []string{"token"}, true, "give a subcommand", ""},
		{"token unknown subcommand", env, []string{"token", "delete"}, true, `unknown subcommand "delete"`, ""},
		{"token revoke by name and id", env, []string{"token", "revoke", "--name", "a", "--id", "1"}, true, "exactly one of --name or --id", ""},
		{"token create bad expiry", env, []string{"token", "create", "--role", "auditor", "--name", "a", "--expires", "soon"}, true, "--expires", ""},
		{"token create past expiry", env, []string{"token", "create", "--role", "auditor", "--name", "a", "--expires", "2001-01-01"}, true, "not in the future", ""},
		{"token bad role", env, []string{"token", "create", "--role", "admin", "--name", "x"}, true, `--role must be "organiser" or "auditor", got "admin"`, ""},
		{"token without name", env, []string{"token", "create", "--role", "auditor"}, true, "--name is required", ""},
		{"token unknown flag", env, []string{"token", "create", "--colour", "red"}, true, "flag provided but not defined", ""},
		{"token extra argument", env, []string{"token", "create", "--role", "auditor", "--name", "x", "y"}, true, `unexpected argument "y"`, ""},
		{"bad configuration", map[string]string{"PANEL_SMS": "x"}, []string{"serve"}, false, `PANEL_SMS must be "simulated" or "twilio", got "x"`, ""},
		{"bad database url", map[string]string{"PANEL_DATABASE_URL": "mysql://db"}, []string{"migrate"}, false, "PANEL_DATABASE_URL", ""},
		{"port in use or bad", map[string]string{"PANEL_DATABASE_URL": db, "PANEL_ADDR": "256.0.0.1:1"}, []string{"serve"}, false, "listen on 256.0.0.1:1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := runCmd(t, tt.env, tt.args...)
			var ue *usageError
			if got := errors.As(err, &ue); got != tt.wantUsage {
				t.Errorf("usage error: got %t (%v), want %t", got, err, tt.wantUsage)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("error: got %v, want nil\nstderr:\n%s", err, stderr)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error: got %v, want one containing %q", err, tt.wantErr)
			}
			if !strings.Contains(stdout, tt.wantStdout) {
				t.Errorf("stdout: got %q, want it to contain %q", stdout, tt.wantStdout)
			}
		})
	}
}

func TestTokenCreatePrintsOnlyTheToken(t *testing.T) {
	env := map[string]string{"PANEL_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "panel.db")}
	a := createToken(t, env, "organiser", "alice")
	b := createToken(t, env, "organiser", "alice2")
	if a == b {
		t.Errorf("two tokens: got the same secret twice")
	}
}
