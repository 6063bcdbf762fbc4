package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/citizenspanel/panel/internal/config"
	"github.com/citizenspanel/panel/internal/store"
)

// migrate applies pending migrations and prints one line per file applied.
func migrate(ctx context.Context, cfg config.Config, logger *slog.Logger, stdout io.Writer) error {
	st, err := store.Open(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer closeStore(st, logger)
	applied, err := st.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "no pending migrations")
	}
	for _, name := range applied {
		fmt.Fprintln(stdout, "applied", name)
	}
	return nil
}

// closeStore closes st, logging a failure: by then there is nothing else to
// do about it.
func closeStore(st *store.Store, logger *slog.Logger) {
	if err := st.Close(); err != nil {
		logger.Error("close database", slog.String("error", err.Error()))
	}
}
