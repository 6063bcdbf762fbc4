package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/citizenspanel/panel/internal/config"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
)

// token runs "token create --role R --name N": it applies pending
// migrations (so a fresh database works), stores a new token, records an
// audit event and prints the token, and nothing else, on stdout.
func token(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageErrorf("token: the only subcommand is \"create\"")
	}
	fs := flag.NewFlagSet("panel token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	role := fs.String("role", "", "organiser (everything) or auditor (read only)")
	name := fs.String("name", "", "who or what the token is for, e.g. \"ola\" or \"grafana\"")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageErrorf("token create: %v", err)
	}
	switch {
	case fs.NArg() > 0:
		return usageErrorf("token create: unexpected argument %q", fs.Arg(0))
	case !panel.ValidRole(*role):
		return usageErrorf("token create: --role must be %q or %q, got %q", panel.RoleOrganiser, panel.RoleAuditor, *role)
	case *name == "":
		return usageErrorf("token create: --name is required")
	}

	st, err := store.Open(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	defer closeStore(st, logger)
	if _, err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	tok, secret, err := st.CreateToken(ctx, *role, *name)
	if err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	details, err := json.Marshal(map[string]string{"name": tok.Name, "role": tok.Role})
	if err != nil {
		return fmt.Errorf("token create: audit details: %w", err)
	}
	if err := st.AppendAudit(ctx, &panel.AuditEvent{
		Actor: "cli", Action: "token.created", Subject: fmt.Sprintf("token/%d", tok.ID), Details: details,
	}); err != nil {
		return fmt.Errorf("token create: audit: %w", err)
	}
	logger.InfoContext(ctx, "api token created", slog.Int64("token_id", tok.ID), slog.String("role", tok.Role))
	_, err = fmt.Fprintln(stdout, secret.Reveal())
	return err
}
