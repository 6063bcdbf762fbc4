package main

import (
	"context"
	"io"
)

// offlineFunc runs a command that needs neither the configuration nor the
// database.
type offlineFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// offlineCommand returns the command called name, or nil when there is no
// such command. The offline tools "draw", "verify" and "simulate" are wired
// here by their owners; until then they are unknown commands like any
// other.
func offlineCommand(name string) offlineFunc {
	switch name {
	}
	return nil
}
