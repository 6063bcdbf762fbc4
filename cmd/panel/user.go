package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/citizenspanel/panel/internal/config"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/password"
	"github.com/citizenspanel/panel/internal/store"
)

// userCommand runs "user create|list|disable": console accounts. Each
// applies pending migrations first, so a fresh database works.
func userCommand(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageErrorf("user: give a subcommand: create, list or disable")
	}
	sub, rest := args[0], args[1:]
	fs := flag.NewFlagSet("panel user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var name, role *string
	var fromStdin *bool
	switch sub {
	case "create":
		name = fs.String("name", "", "the person's sign-in name, e.g. \"kari\"")
		role = fs.String("role", "", "organiser (everything), auditor (read only, no phone numbers) or caller (members page)")
		fromStdin = fs.Bool("password-stdin", false, "read the password from standard input instead of generating one")
	case "disable":
		name = fs.String("name", "", "the user to disable; their sessions end at once")
	case "list":
	default:
		return usageErrorf("user: unknown subcommand %q; use create, list or disable", sub)
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return usageErrorf("user %s: help shown", sub)
		}
		return usageErrorf("user %s: %v", sub, err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("user %s: unexpected argument %q", sub, fs.Arg(0))
	}
	if name != nil && *name == "" {
		return usageErrorf("user %s: --name is required", sub)
	}
	if role != nil && !panel.ValidUserRole(*role) {
		return usageErrorf("user create: --role must be organiser, auditor or caller, got %q", *role)
	}
	var pw string
	if sub == "create" {
		var err error
		if pw, err = newPassword(*fromStdin, stdin); err != nil {
			return err
		}
	}

	st, err := store.Open(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return fmt.Errorf("user %s: %w", sub, err)
	}
	defer closeStore(st, logger)
	if _, err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("user %s: %w", sub, err)
	}
	ctx = panel.WithActor(ctx, panel.Actor{Name: "cli", Role: "cli"})
	switch sub {
	case "create":
		hash, err := password.Hash(pw, rand.Reader)
		if err != nil {
			return fmt.Errorf("user create: %w", err)
		}
		u, err := st.CreateUser(ctx, *name, *role, hash)
		if err != nil {
			return fmt.Errorf("user create: %w", err)
		}
		logger.InfoContext(ctx, "console user created", slog.Int64("user_id", u.ID), slog.String("role", u.Role))
		if *fromStdin {
			_, err = fmt.Fprintf(stdout, "user %s created (%s)\n", u.Name, u.Role)
		} else {
			_, err = fmt.Fprintln(stdout, pw)
		}
		return err
	case "disable":
		u, err := st.DisableUser(ctx, *name)
		if err != nil {
			return fmt.Errorf("user disable: %w", err)
		}
		_, err = fmt.Fprintf(stdout, "user %s disabled; their sessions have ended\n", u.Name)
		return err
	default: // list
		users, err := st.ListUsers(ctx)
		if err != nil {
			return fmt.Errorf("user list: %w", err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tSTATE")
		for _, u := range users {
			state := "active"
			if u.DisabledAt != nil {
				state = "disabled " + u.DisabledAt.Format("2006-01-02")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, u.CreatedAt.Format("2006-01-02"), state)
		}
		return tw.Flush()
	}
}

// newPassword reads the first line of stdin, or generates a password.
func newPassword(fromStdin bool, stdin io.Reader) (string, error) {
	if !fromStdin {
		return password.Generate(rand.Reader)
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, password.MaxLength*4+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("user create: read the password from standard input: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if problem := password.Check(pw); problem != "" {
		return "", usageErrorf("user create: %s", problem)
	}
	return pw, nil
}
