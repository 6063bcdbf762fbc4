package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/citizenspanel/panel/internal/config"
	"github.com/citizenspanel/panel/internal/drawcli"
	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/simulate"
	"github.com/citizenspanel/panel/internal/store"
)

// simulatedServiceNumber is the number residents text in a simulation.
const simulatedServiceNumber = "+4759440000"

// simulateArgs are the flags of `panel simulate`.
type simulateArgs struct {
	invitations, seats, reserves, declines int
	seed, database                         string
	json, quiet                            bool
}

// runSimulate runs the reference round end to end, in this process: the
// service on a loopback port with its Twilio gateway pointed at a fake
// Twilio server, driven over HTTP by internal/simulate. It prints the
// report and fails when the round cannot finish or its numbers do not add
// up.
func runSimulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	a, err := parseSimulateArgs(args, stderr)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "panel-simulate-")
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	// The directory (the service's log, the SQLite database, the record)
	// is removed after a round that worked; after one that did not it is
	// kept, and its path given, so the service's warnings can be read.
	keep := false
	defer func() {
		if keep {
			fmt.Fprintf(stderr, "simulate: the service's log (warnings and errors) and the database are kept in %s\n", dir)
			return
		}
		os.RemoveAll(dir)
	}()
	database := a.database
	if database == "" {
		database = "sqlite:" + filepath.Join(dir, "panel.db")
	}
	logFile, err := os.Create(filepath.Join(dir, "panel.log"))
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	defer logFile.Close()
	logger := slog.New(slog.NewJSONHandler(logFile, &slog.HandlerOptions{Level: slog.LevelWarn}))

	oslo, err := time.LoadLocation(config.DefaultTimeZone)
	if err != nil {
		return fmt.Errorf("simulate: time zone: %w", err)
	}
	clock := simulate.NewOffsetClock(simulate.RoundStart(oslo))
	seed := sha256.Sum256([]byte("panel simulate/twilio/" + a.seed))
	fake := faketwilio.New(faketwilio.Options{Clock: clock.Now, Logger: logger, Seed: uint64(seed[0])<<8 | uint64(seed[1])})
	twilioURL, err := fake.Start()
	if err != nil {
		return fmt.Errorf("simulate: fake Twilio: %w", err)
	}
	defer fake.Close()

	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	base := "http://" + ln.Addr().String()
	env := map[string]string{
		"PANEL_DATABASE_URL":  database,
		"PANEL_PUBLIC_URL":    base,
		"PANEL_SMS":           config.SMSTwilio,
		"PANEL_TIMEZONE":      config.DefaultTimeZone,
		"TWILIO_ACCOUNT_SID":  fake.AccountSID(),
		"TWILIO_AUTH_TOKEN":   fake.AuthToken(),
		"TWILIO_FROM":         simulatedServiceNumber,
		"TWILIO_API_BASE_URL": twilioURL,
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		ln.Close()
		return fmt.Errorf("simulate: %w", err)
	}
	token, err := simulationToken(ctx, cfg, logger)
	if err != nil {
		ln.Close()
		return fmt.Errorf("simulate: %w", err)
	}

	serveCtx, stopServe := context.WithCancel(ctx)
	ready := make(chan running, 1)
	served := make(chan error, 1)
	go func() {
		served <- serveWith(serveCtx, cfg, logger, io.Discard, serveOptions{
			now:      clock.Now,
			random:   newSeededReader("panel simulate/store/" + a.seed),
			listener: ln,
			// Messages are enqueued as the round goes, often just after
			// the sender looked: look again soon.
			senderPoll: 20 * time.Millisecond,
			// Statuses whose callbacks were lost are fetched from the
			// fake Twilio once the round moves the clock past their age.
			statusPollEvery: 200 * time.Millisecond,
			ready:           func(r running) { ready <- r },
		})
	}()
	var svc running
	select {
	case svc = <-ready:
	case err := <-served:
		stopServe()
		return fmt.Errorf("simulate: the service did not start: %w", err)
	}

	var (
		progress io.Writer = stderr
		count    func(stage string, done, total int)
	)
	if a.quiet {
		progress = io.Discard
	} else if isTerminal(stderr) {
		sp := &stageProgress{w: stderr}
		progress, count = sp, sp.Count
	}
	fmt.Fprintf(progress, "Simulating the round: %d invitations, %d seats, %d reserves, seed %q\n",
		a.invitations, a.seats, a.reserves, a.seed)
	report, runErr := simulate.Run(ctx, simulate.Config{
		BaseURL:       base,
		Token:         string(token),
		Twilio:        fake,
		ServiceNumber: simulatedServiceNumber,
		Clock:         clock,
		RunDue:        svc.runDue,
		Invitations:   a.invitations,
		Seats:         a.seats,
		Reserves:      a.reserves,
		Seed:          a.seed,
		Declines:      a.declines,
		Progress:      progress,
		Count:         count,
		Verify:        func(ctx context.Context, record []byte) (string, error) { return verifyRecord(ctx, dir, record) },
	})
	stopServe()
	if err := <-served; err != nil && runErr == nil {
		runErr = fmt.Errorf("simulate: the service stopped with an error: %w", err)
	}
	if report != nil {
		var werr error
		if a.json {
			werr = report.WriteJSON(stdout)
		} else {
			werr = report.WriteText(stdout)
		}
		if werr != nil && runErr == nil {
			runErr = werr
		}
	}
	if runErr != nil {
		keep = true
		return runErr
	}
	if !report.Consistent {
		keep = true
		return fmt.Errorf("simulate: the round's numbers do not add up: %s", strings.Join(report.Problems, "; "))
	}
	return nil
}

func parseSimulateArgs(args []string, stderr io.Writer) (simulateArgs, error) {
	var a simulateArgs
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&a.invitations, "invitations", 4000, "residents invited")
	fs.IntVar(&a.seats, "seats", 50, "seats on the panel")
	fs.IntVar(&a.reserves, "reserves", 10, "reserves drawn")
	fs.IntVar(&a.declines, "declines", 3, "selected members who decline and are replaced")
	fs.StringVar(&a.seed, "seed", "panel simulate", "seed of the population, the answers and the draw")
	fs.StringVar(&a.database, "database", "", "database URL (default: a fresh SQLite file in a temporary directory)")
	fs.BoolVar(&a.json, "json", false, "print the report as one JSON object")
	fs.BoolVar(&a.quiet, "quiet", false, "no progress lines on stderr")
	if err := fs.Parse(args); err != nil {
		return a, usageErrorf("simulate: %v", err)
	}
	switch {
	case fs.NArg() > 0:
		return a, usageErrorf("simulate takes no arguments, got %q", fs.Args())
	case a.invitations < 1:
		return a, usageErrorf("simulate: --invitations must be at least 1, got %d", a.invitations)
	case a.seats < 1:
		return a, usageErrorf("simulate: --seats must be at least 1, got %d", a.seats)
	case a.reserves < 0 || a.declines < 0:
		return a, usageErrorf("simulate: --reserves and --declines must not be negative")
	case a.declines > a.reserves:
		return a, usageErrorf("simulate: --declines (%d) must not exceed --reserves (%d)", a.declines, a.reserves)
	case a.seed == "":
		return a, usageErrorf("simulate: --seed must not be empty")
	case a.database != "" && !strings.HasPrefix(a.database, "postgres://") && !strings.HasPrefix(a.database, "postgresql://"):
		return a, usageErrorf("simulate: --database must be a postgres:// URL (the default is a fresh SQLite file)")
	}
	return a, nil
}

// simulationToken migrates the database and creates the organiser token
// the simulated organiser uses.
func simulationToken(ctx context.Context, cfg config.Config, logger *slog.Logger) (panel.Secret, error) {
	st, err := store.Open(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return "", err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return "", err
	}
	_, secret, err := st.CreateToken(ctx, panel.RoleOrganiser, "simulate")
	return secret, err
}

// verifyRecord runs `panel verify` on a downloaded record and returns its
// verdict.
func verifyRecord(ctx context.Context, dir string, record []byte) (string, error) {
	path := filepath.Join(dir, "record.json")
	if err := os.WriteFile(path, record, 0o600); err != nil {
		return "", err
	}
	var out, errOut bytes.Buffer
	if err := drawcli.Verify(ctx, []string{path}, &out, &errOut); err != nil {
		return "", fmt.Errorf("%v: %s", err, strings.TrimSpace(errOut.String()+" "+out.String()))
	}
	if strings.Contains(out.String(), "verified") {
		return "verified", nil
	}
	return "", errors.New(strings.TrimSpace(out.String()))
}

// seededReader is a deterministic random source, safe for concurrent use.
type seededReader struct {
	mu  sync.Mutex
	src *rand.ChaCha8
}

func newSeededReader(seed string) *seededReader {
	return &seededReader{src: rand.NewChaCha8(sha256.Sum256([]byte(seed)))}
}

func (r *seededReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.src.Read(p)
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n") + "\n"
}
