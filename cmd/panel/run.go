package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/citizenspanel/panel/internal/config"
)

// usage is printed by "panel help" and after a usage error.
const usage = `panel: recruit citizens' panels by SMS and draw them by stratified sortition.

Usage:
  panel serve                                   apply migrations, then serve the API
  panel migrate                                 apply database migrations and list them
  panel token create --role R --name N [--expires 90d|DATE]
                                                print a new API token (role organiser or auditor)
  panel token list                              list API tokens (never their secrets)
  panel token revoke --name N | --id ID         revoke tokens; effective on their next request
  panel user create --name N --role R [--password-stdin]
                                                a console user (organiser, auditor or caller);
                                                prints a generated password once
  panel user list | user disable --name N       list console users; disable one (ends their sessions)
  panel draw --categories C.csv --respondents R.csv --seats N --seed S
             [--algorithm leximin|maximin|legacy] [--reserves K] [--panels M]
             [--address-columns a,b] [--id-column X] [--out record.json]
                                                run a stratified draw offline and write its record;
                                                without --seed, a committed record to reveal later
  panel reveal RECORD.json --seed S [--out F]   complete a committed record with the seed
  panel verify RECORD.json [--respondents R.csv] [--categories C.csv] [--resolve=false]
                                                re-run a published draw and re-solve its optimum;
                                                exit 0 only if everything matches
  panel simulate [--invitations 4000] [--seats 50] [--reserves 10] [--seed S]
                 [--declines 3] [--database postgres://...] [--json] [--quiet]
                                                the whole round end to end, in this process
  panel help                                    show this text

Configuration comes from environment variables (PANEL_DATABASE_URL,
PANEL_ADDR, PANEL_PUBLIC_URL, PANEL_SMS, TWILIO_*, PANEL_TIMEZONE,
PANEL_LOG_LEVEL, PANEL_LOG_FORMAT); see README.md.
`

// usageError is a command line the program does not understand; main exits
// with status 2 for it.
type usageError struct{ msg string }

// Error implements the error interface.
func (e *usageError) Error() string { return e.msg + " (run \"panel help\")" }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// run is the whole program behind main: it picks the command from args,
// reads the configuration through getenv, and writes results to stdout and
// logs to stderr.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageErrorf("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "serve", "migrate", "token", "user":
		return runService(ctx, cmd, rest, getenv, stdout, stderr)
	}
	if offline := offlineCommand(cmd); offline != nil {
		return offline(ctx, rest, stdout, stderr)
	}
	return usageErrorf("unknown command %q", cmd)
}

// runService runs a command that needs the configuration and the database.
func runService(ctx context.Context, cmd string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stderr)
	switch cmd {
	case "serve":
		if len(args) > 0 {
			return usageErrorf("serve takes no arguments, got %q", args)
		}
		return serve(ctx, cfg, logger, stdout)
	case "migrate":
		if len(args) > 0 {
			return usageErrorf("migrate takes no arguments, got %q", args)
		}
		return migrate(ctx, cfg, logger, stdout)
	case "user":
		return userCommand(ctx, cfg, logger, args, os.Stdin, stdout, stderr)
	default: // "token"
		return token(ctx, cfg, logger, args, stdout, stderr)
	}
}

// newLogger builds the process logger from the configuration.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == config.LogJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
