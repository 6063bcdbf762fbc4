// Command panel is the citizens' panel service and its tools: serve the
// API, apply migrations, create API tokens, and (wired separately) run,
// verify and simulate draws. Run "panel help" for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "panel:", err)
		var ue *usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		// Offline commands say which status they call for (usage 2,
		// infeasible quotas 3).
		var coded interface{ ExitCode() int }
		if errors.As(err, &coded) {
			os.Exit(coded.ExitCode())
		}
		os.Exit(1)
	}
}
