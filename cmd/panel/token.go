package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/citizenspanel/panel/internal/config"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
)

// cliActor is the actor of tokens issued and revoked on the command line.
var cliActor = panel.Actor{Name: "cli", Role: "cli"}

// token runs "token create|list|revoke". Each applies pending migrations
// first (so a fresh database works). create prints the new token, and
// nothing else, on stdout; list prints one line per token; revoke prints
// the tokens it revoked. create and revoke record audit events.
func token(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageErrorf("token: give a subcommand: create, list or revoke")
	}
	switch args[0] {
	case "create":
		return tokenCreate(ctx, cfg, logger, args[1:], stdout, stderr)
	case "list":
		return tokenList(ctx, cfg, logger, args[1:], stdout, stderr)
	case "revoke":
		return tokenRevoke(ctx, cfg, logger, args[1:], stdout, stderr)
	}
	return usageErrorf("token: unknown subcommand %q; use create, list or revoke", args[0])
}

// parseFlags parses args with fs and refuses positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) (help bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, usageErrorf("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return false, usageErrorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return false, nil
}

// openMigrated opens the database and applies pending migrations.
func openMigrated(ctx context.Context, cfg config.Config, logger *slog.Logger, what string) (*store.Store, error) {
	st, err := store.Open(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		closeStore(st, logger)
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return st, nil
}

func tokenCreate(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	role := fs.String("role", "", "organiser (everything) or auditor (read only)")
	name := fs.String("name", "", "who or what the token is for, e.g. \"ola\" or \"grafana\"")
	expires := fs.String("expires", "", "when the token stops working: a duration such as 90d or 12h, or a time (RFC 3339, or a date YYYY-MM-DD meaning its start in UTC); default never")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	switch {
	case !panel.ValidRole(*role):
		return usageErrorf("token create: --role must be %q or %q, got %q", panel.RoleOrganiser, panel.RoleAuditor, *role)
	case *name == "":
		return usageErrorf("token create: --name is required")
	}
	req := panel.TokenRequest{Role: *role, Name: *name}
	if *expires != "" {
		at, err := parseExpiry(*expires, time.Now())
		if err != nil {
			return usageErrorf("token create: --expires: %v", err)
		}
		req.ExpiresAt = &at
	}
	st, err := openMigrated(ctx, cfg, logger, "token create")
	if err != nil {
		return err
	}
	defer closeStore(st, logger)
	tok, secret, err := st.IssueToken(panel.WithActor(ctx, cliActor), req)
	if err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	logger.InfoContext(ctx, "api token created", slog.Int64("token_id", tok.ID), slog.String("role", tok.Role))
	_, err = fmt.Fprintln(stdout, secret.Reveal())
	return err
}

func tokenList(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	st, err := openMigrated(ctx, cfg, logger, "token list")
	if err != nil {
		return err
	}
	defer closeStore(st, logger)
	toks, err := st.ListTokens(ctx)
	if err != nil {
		return fmt.Errorf("token list: %w", err)
	}
	return writeTokens(stdout, toks, time.Now())
}

func tokenRevoke(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token revoke", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "revoke every unrevoked token with this name")
	id := fs.Int64("id", 0, "revoke the token with this id (see token list)")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if (*name == "") == (*id == 0) {
		return usageErrorf("token revoke: give exactly one of --name or --id")
	}
	if *id < 0 {
		return usageErrorf("token revoke: --id must be positive, got %d", *id)
	}
	st, err := openMigrated(ctx, cfg, logger, "token revoke")
	if err != nil {
		return err
	}
	defer closeStore(st, logger)
	actx := panel.WithActor(ctx, cliActor)
	var revoked []*panel.Token
	if *id != 0 {
		tok, err := st.RevokeTokenByID(actx, *id)
		if err != nil {
			return fmt.Errorf("token revoke: %w", err)
		}
		revoked = []*panel.Token{tok}
	} else {
		if revoked, err = st.RevokeTokensNamed(actx, *name); err != nil {
			return fmt.Errorf("token revoke: %w", err)
		}
	}
	for _, t := range revoked {
		logger.InfoContext(ctx, "api token revoked", slog.Int64("token_id", t.ID))
	}
	return writeTokens(stdout, revoked, time.Now())
}

// writeTokens prints tokens as a table: id, name, role, state, created,
// last used, expires. Secrets are never stored, so never shown.
func writeTokens(w io.Writer, toks []*panel.Token, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tSTATE\tCREATED\tLAST USED\tEXPIRES")
	stamp := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.UTC().Format(time.RFC3339)
	}
	for _, t := range toks {
		state := "active"
		switch {
		case t.RevokedAt != nil:
			state = "revoked " + stamp(t.RevokedAt)
		case !t.Active(now):
			state = "expired"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, state, stamp(&t.CreatedAt), stamp(t.LastUsedAt), stamp(t.ExpiresAt))
	}
	return tw.Flush()
}

// parseExpiry reads --expires: a duration from now ("90d", "36h", "1h30m"),
// an RFC 3339 time, or a date (YYYY-MM-DD, the start of that day in UTC).
// It must lie in the future.
func parseExpiry(s string, now time.Time) (time.Time, error) {
	var at time.Time
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return time.Time{}, fmt.Errorf("%q is not a number of days such as 90d", s)
		}
		at = now.Add(time.Duration(n) * 24 * time.Hour)
	} else if d, err := time.ParseDuration(s); err == nil {
		at = now.Add(d)
	} else if t, err := time.Parse(time.RFC3339, s); err == nil {
		at = t
	} else if t, err := time.Parse(time.DateOnly, s); err == nil {
		at = t
	} else {
		return time.Time{}, fmt.Errorf("%q is neither a duration (90d, 12h) nor a time (2027-06-30 or 2027-06-30T12:00:00Z)", s)
	}
	if !at.After(now) {
		return time.Time{}, fmt.Errorf("%q is not in the future", s)
	}
	return at.UTC(), nil
}
