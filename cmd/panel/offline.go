package main

import (
	"context"
	"io"

	"github.com/citizenspanel/panel/internal/drawcli"
)

// offlineFunc runs a command that takes no configuration from the
// environment: draw and verify need no database, and simulate makes its
// own.
type offlineFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// offlineCommand returns the command called name, or nil when there is no
// such command.
func offlineCommand(name string) offlineFunc {
	switch name {
	case "draw":
		return drawcli.Draw
	case "verify":
		return drawcli.Verify
	case "reveal":
		return drawcli.Reveal
	case "simulate":
		return runSimulate
	}
	return nil
}
